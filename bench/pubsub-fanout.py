# Pub/sub fan-out: N subscribers, M pipelined PUBLISHes of a 32-byte message; prints deliveries/s.
#   python3 bench/pubsub-fanout.py <port> <subscribers> <messages>   (messages a multiple of 100)
# Informal (a Python client); see docs/pubsub.md.
import socket,sys,time,threading
port=int(sys.argv[1]); nsub=int(sys.argv[2]); nmsg=int(sys.argv[3])
def enc(parts):
    s=b"*%d\r\n"%len(parts)
    for p in parts:
        p=p if isinstance(p,bytes) else p.encode(); s+=b"$%d\r\n%s\r\n"%(len(p),p)
    return s
subs=[]
for i in range(nsub):
    c=socket.create_connection(("127.0.0.1",port)); c.sendall(enc(["subscribe","fan"])); c.recv(100); subs.append(c)
msg=enc(["publish","fan","x"*32])
one=len(b"*3\r\n$7\r\nmessage\r\n$3\r\nfan\r\n$32\r\n"+b"x"*32+b"\r\n")
done=[0]*nsub
def rd(i):
    c=subs[i]; need=one*nmsg; got=0
    while got<need:
        d=c.recv(1<<20); got+=len(d)
    done[i]=time.time()
ts=[threading.Thread(target=rd,args=(i,)) for i in range(nsub)]
for t in ts: t.start()
p=socket.create_connection(("127.0.0.1",port))
t0=time.time()
batch=msg*100
def drain():
    n=0
    while n<nmsg*4:
        n+=len(p.recv(1<<20))
dt=threading.Thread(target=drain); dt.start()
for i in range(nmsg//100): p.sendall(batch)
for t in ts: t.join()
print("%d subs x %d msgs: %.2fs, %.0f deliveries/s"%(nsub,nmsg,max(done)-t0,nsub*nmsg/(max(done)-t0)))
