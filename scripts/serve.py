#!/usr/bin/env python3
"""A tiny static file server for the built web app, reachable from this machine only (127.0.0.1).

Usage: scripts/serve.py [--dir build/wasm/site] [--port 8080]
--port 0 picks a free port. The first line on stdout holds the URL, e.g. http://127.0.0.1:8080/
"""
import argparse
import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",       # needed for streaming compilation
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".data": "application/octet-stream",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")  # a rebuilt app is picked up on reload
        super().end_headers()

    def log_message(self, format, *args):  # quiet: errors only
        if len(args) > 1 and str(args[1]).startswith(("4", "5")):
            sys.stderr.write("serve.py: %s\n" % (format % args))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="build/wasm/site", help="folder to serve")
    parser.add_argument("--port", type=int, default=int(os.environ.get("FCNET_PORT", "8080")))
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.dir, "index.html")):
        sys.exit("serve.py: %s holds no index.html: build the app first (scripts/start.sh)" % args.dir)
    handler = functools.partial(Handler, directory=args.dir)
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as error:
        sys.exit("serve.py: cannot listen on 127.0.0.1:%d: %s (set FCNET_PORT or --port)" % (args.port, error.strerror))
    print("fcnet: serving %s at http://127.0.0.1:%d/ (Ctrl-C stops)" % (args.dir, server.server_address[1]),
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
