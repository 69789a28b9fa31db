#!/usr/bin/env python3
"""pg_proxy.py DIR SERVER_SOCKET ARMED MODE: a unix-socket relay between ragtrack and a
PostgreSQL server, for the test of a commit whose answer is lost (tests/cli/pg_edit.sh).

It listens where libpq looks for a server in DIR (DIR/.s.PGSQL.5432) and relays every
connection to SERVER_SOCKET byte for byte, but once: the first simple-query COMMIT it
relays after the file ARMED exists goes on to the server, the server's answer is read
and thrown away (ARMED.dropped is made then), and the client's connection is closed,
as a network that fails at that moment would.  MODE "saved": later connections are relayed as before (ragtrack can
ask the server what became of the commit); MODE "unknown": the relay stops listening
(it cannot)."""
import os
import select
import socket
import sys
import threading

DIR, SERVER, ARMED, MODE = sys.argv[1:5]
LISTEN = os.path.join(DIR, ".s.PGSQL.5432")
COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"
dropped = threading.Event()
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)


def swallow_answer(server):
    """Read the server's messages up to its ReadyForQuery ('Z'), which ends the answer."""
    data = b""
    while True:
        chunk = server.recv(65536)
        if not chunk:
            return
        data += chunk
        at = 0
        while len(data) - at >= 5:
            kind, size = data[at:at + 1], int.from_bytes(data[at + 1:at + 5], "big")
            if len(data) - at < 1 + size:
                break
            if kind == b"Z":
                return
            at += 1 + size
        data = data[at:]


def relay(client):
    """Both directions in one loop (select), so that the answer to the dropped COMMIT
    is read here and nowhere else."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.connect(SERVER)
    try:
        while True:
            ready, _, _ = select.select([client, server], [], [])
            if server in ready:
                data = server.recv(65536)
                if not data:
                    break
                client.sendall(data)
            if client in ready:
                data = client.recv(65536)
                if not data:
                    break
                drop = not dropped.is_set() and os.path.exists(ARMED) and COMMIT in data
                server.sendall(data)
                if drop:
                    dropped.set()
                    swallow_answer(server)
                    open(ARMED + ".dropped", "w").close()      # for the test: it happened
                    if MODE == "unknown":
                        listener.close()
                        os.unlink(LISTEN)
                    break
    except OSError:
        pass
    client.close()
    server.close()


listener.bind(LISTEN)
listener.listen(8)
while True:
    try:
        conn, _ = listener.accept()
    except OSError:
        break
    threading.Thread(target=relay, args=(conn,), daemon=True).start()
