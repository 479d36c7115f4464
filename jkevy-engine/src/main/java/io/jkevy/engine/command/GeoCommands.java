package io.jkevy.engine.command;

import io.jkevy.engine.command.geo.GeoBasic;
import io.jkevy.engine.command.geo.GeoSearch;

/** Geo commands (on sorted sets) (Redis group "geo"). */
public final class GeoCommands {
    private GeoCommands() { }

    private static final String G = "geo";

    public static void register(CommandTable t) {
        t.add("geoadd", -5, "write denyoom", 1, 1, 1, "@write @geo @slow", G, "3.2.0",
                "Add one or more geospatial items in the geospatial index represented using a sorted set", GeoBasic::geoadd);
        t.add("geodist", -4, "readonly", 1, 1, 1, "@read @geo @slow", G, "3.2.0",
                "Returns the distance between two members of a geospatial index", GeoBasic::geodist);
        t.add("geohash", -2, "readonly", 1, 1, 1, "@read @geo @slow", G, "3.2.0",
                "Returns members of a geospatial index as standard geohash strings", GeoBasic::geohash);
        t.add("geopos", -2, "readonly", 1, 1, 1, "@read @geo @slow", G, "3.2.0",
                "Returns longitude and latitude of members of a geospatial index", GeoBasic::geopos);
        // STORE/STOREDIST name a key anywhere in the options: movablekeys takes every lock
        t.add("georadius", -6, "write denyoom movablekeys", 1, 1, 1, "@write @geo @slow", G, "3.2.0",
                "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point",
                GeoSearch::georadius);
        t.add("georadiusbymember", -5, "write denyoom movablekeys", 1, 1, 1, "@write @geo @slow", G, "3.2.0",
                "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member",
                GeoSearch::georadiusbymember);
        t.add("georadius_ro", -6, "readonly", 1, 1, 1, "@read @geo @slow", G, "3.2.10",
                "A read-only variant for GEORADIUS", GeoSearch::georadiusRo);
        t.add("georadiusbymember_ro", -5, "readonly", 1, 1, 1, "@read @geo @slow", G, "3.2.10",
                "A read-only variant for GEORADIUSBYMEMBER", GeoSearch::georadiusbymemberRo);
        t.add("geosearch", -7, "readonly", 1, 1, 1, "@read @geo @slow", G, "6.2.0",
                "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.",
                GeoSearch::geosearch);
        t.add("geosearchstore", -8, "write denyoom", 1, 2, 1, "@write @geo @slow", G, "6.2.0",
                "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.",
                GeoSearch::geosearchstore);
    }
}
