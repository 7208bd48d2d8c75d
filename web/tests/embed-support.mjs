// Shared by the embed tests and benchmark: where the built module is, and drawings to classify.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The built module: $FCNET_EMBED_DIST (scripts/test-embed.sh sets it), else <repo>/dist.
export const distDir = path.resolve(process.env.FCNET_EMBED_DIST ?? path.join(repoRoot, 'dist'));

export function requireDist() {
  for (const file of ['fcnet.js', 'fcnet.wasm', 'mnist.fcnet', 'fcnet-rehearsal.bin']) {
    if (!existsSync(path.join(distDir, file))) {
      throw new Error(`${path.join(distDir, file)} is missing: build the module with scripts/build-module.sh`);
    }
  }
  return distDir;
}

export async function importModule() {
  requireDist();
  return import(path.join(distDir, 'fcnet.js'));
}

export function modelBytes() {
  return readFileSync(path.join(requireDist(), 'mnist.fcnet'));
}

// A white "1" (a vertical bar) on black, RGBA, width x height.
export function drawnOne(width = 112, height = 112) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; ++i) data[i * 4 + 3] = 255;
  for (let y = Math.floor(height * 0.2); y < Math.floor(height * 0.8); ++y) {
    for (let x = Math.floor(width * 0.46); x < Math.floor(width * 0.54); ++x) {
      data.fill(255, (y * width + x) * 4, (y * width + x) * 4 + 3);
    }
  }
  return { data, width, height, channels: 4 };
}
