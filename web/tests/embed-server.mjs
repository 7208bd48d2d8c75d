// A static file server on 127.0.0.1 for the embed browser tests and benchmark (no dependencies).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.fcnet': 'application/octet-stream', '.ts': 'text/plain; charset=utf-8',
};

// Serves the files under `root`, plus `extra`: { '/url/path': '/file/path' } for one file,
// { '/url/folder/': '/file/folder' } for a folder; on a free port.
// Resolves to { url, close }; url ends with '/'.
export function startServer(root, extra = {}) {
  const inside = (folder, urlPath) => path.join(folder, path.normalize('/' + urlPath));  // never above folder
  const resolve = (urlPath) => {
    if (extra[urlPath]) return extra[urlPath];
    for (const [prefix, folder] of Object.entries(extra)) {
      if (prefix.endsWith('/') && urlPath.startsWith(prefix)) return inside(folder, urlPath.slice(prefix.length));
    }
    return inside(root, urlPath);
  };
  const server = createServer(async (request, response) => {
    const file = resolve(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream',
                                'cache-control': 'no-store' });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}/`,
      close: () => new Promise((done) => server.close(done)),
    }));
  });
}
