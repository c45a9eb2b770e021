import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

/** The package root, found from this file whether it runs from src/ (tests) or dist/src/ (CLI). */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export const packageRoot = findRoot();
export const sqlDir = path.join(packageRoot, 'src', 'sql');
export const schemasDir = path.join(packageRoot, 'schemas');
export const assetsDir = path.join(packageRoot, 'assets');
