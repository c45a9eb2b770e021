/**
 * A minimal deterministic ZIP writer (deflate, no extras, fixed timestamps): the same entries in
 * the same order always give the same bytes, which the run's byte-identical-output rule needs.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

export interface ZipEntry {
  /** Path inside the archive, '/'-separated, ASCII. */
  name: string;
  data: Buffer;
}

const gzipAsync = promisify(gzip);

/**
 * Deflates on libuv's thread pool (so several entries or archives compress at once) and takes the CRC-32 that zlib
 * computes natively alongside: a gzip member is a 10-byte header, the same raw deflate stream deflateRaw() gives for
 * these settings, then the CRC-32 and the length.
 */
async function deflateWithCrc(data: Buffer): Promise<{ compressed: Buffer; crc: number }> {
  const member = await gzipAsync(data, { level: 6 });
  return { compressed: member.subarray(10, member.length - 8), crc: member.readUInt32LE(member.length - 8) };
}

/** 1980-01-01 00:00:00, the earliest DOS date: entries never carry the wall clock. */
const dosTime = 0;
const dosDate = (0 << 9) | (1 << 5) | 1;

export async function zip(entries: ZipEntry[]): Promise<Buffer> {
  const deflated = await Promise.all(entries.map((e) => deflateWithCrc(e.data)));
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [i, entry] of entries.entries()) {
    const name = Buffer.from(entry.name, 'utf8');
    const { compressed, crc } = deflated[i];
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: names are UTF-8
    local.writeUInt16LE(8, 8); // method: deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    parts.push(local, name, compressed);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4); // version made by
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt16LE(dosTime, 12);
    header.writeUInt16LE(dosDate, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(compressed.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal attrs, external attrs: all 0
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  if (offset > 0xffffffff || entries.length > 0xffff) throw new Error('zip too large for a non-ZIP64 archive');
  return Buffer.concat([...parts, centralBuf, end]);
}
