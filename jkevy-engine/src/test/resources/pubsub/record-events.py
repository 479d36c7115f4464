# Records keyspace-notification sequences from a running server, one line per command:
#   python3 record-events.py <port> <notify-keyspace-events flags> <script file>
# (used to produce keyspace-expected-*.txt from redis-server 7.0.15; see docs/pubsub.md)
import socket,sys,time
port=int(sys.argv[1]); flags=sys.argv[2]; script=open(sys.argv[3]).read().strip().split("\n")
def enc(parts):
    s=b"*%d\r\n"%len(parts)
    for p in parts:
        p=p.encode(); s+=b"$%d\r\n%s\r\n"%(len(p),p)
    return s
class R:
    def __init__(s,c): s.c=c; s.buf=b""
    def line(s):
        while b"\r\n" not in s.buf: s.buf+=s.c.recv(65536)
        l,s.buf=s.buf.split(b"\r\n",1); return l
    def read(s):
        l=s.line(); t=l[:1]
        if t in b"*>": return [s.read() for _ in range(int(l[1:]))]
        if t==b"$":
            n=int(l[1:])
            if n<0: return None
            while len(s.buf)<n+2: s.buf+=s.c.recv(65536)
            d,s.buf=s.buf[:n],s.buf[n+2:]; return d.decode()
        return l.decode()
sub=socket.create_connection(("127.0.0.1",port)); cli=socket.create_connection(("127.0.0.1",port))
rs=R(sub); rc=R(cli)
cli.sendall(enc(["config","set","notify-keyspace-events",flags])); print("#config",rc.read())
sub.sendall(enc(["psubscribe","__key*__:*"])); rs.read()
sub.sendall(enc(["subscribe","mark"])); rs.read()
for i,cmd in enumerate(script):
    cli.sendall(enc(cmd.split(" "))); rc.read()
    cli.sendall(enc(["publish","mark",str(i)])); rc.read()
    ev=[]
    while True:
        m=rs.read()
        if m[0]=="message": break
        ev.append((m[2],m[3]))
    ks=[e for e in ev if e[0].startswith("__keyspace")]
    ke=[e for e in ev if e[0].startswith("__keyevent")]
    print(cmd+" => "+", ".join(c.split(":",1)[1]+"@"+c.split("@")[1].split("__")[0]+" "+k for c,k in ke) + ("" if len(ks)==len(ke) else "  !KS=%r"%ks))
