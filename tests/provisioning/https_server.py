#!/usr/bin/env python3
"""https_server.py DIR PORT CERT KEY READYFILE - serve DIR over HTTPS on
127.0.0.1:PORT (python3's http.server wrapped in ssl), for pnphone's
provisioning tests.  Without CERT/KEY ("-") it serves plain HTTP."""
import functools
import http.server
import ssl
import sys


def main():
    d, port, cert, key, ready = sys.argv[1:6]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=d)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), handler)
    if cert != "-":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(ready, "w") as f:
        f.write("ready\n")
    srv.serve_forever()


if __name__ == "__main__":
    main()
