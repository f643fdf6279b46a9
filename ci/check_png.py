#!/usr/bin/env python3
"""Check that a PNG screenshot is valid, of the expected size and not blank.

Usage: check_png.py [--width 1000] [--height 700] [--min-pixels 1] OUT.png

Parses the file by hand (standard library only): the signature, every chunk's
CRC, IHDR, PLTE/tRNS, then inflates the IDAT stream with zlib, undoes the
scanline filters and counts the pixels that are not white (a pixel is white when
every colour channel is at its maximum, or when it is fully transparent).

Prints one line, e.g.
    check_png: OUT.png: 1000x700 RGB 8-bit, 5321 non-white pixels
and exits 0; exits 1 when the file is not a valid PNG, has another size (use
--width 0 / --height 0 to accept any) or has fewer than --min-pixels non-white
pixels (blank); exits 2 on bad arguments. 8-bit (and 1/2/4/16-bit grey or
palette, 16-bit colour) non-interlaced images are decoded; Adam7 is refused.
"""
import argparse
import struct
import sys
import zlib

PROG = "check_png"
SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 64 * 1024 * 1024
MAX_PIXELS = 50_000_000
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
NAMES = {0: "grey", 2: "RGB", 3: "palette", 4: "grey+alpha", 6: "RGBA"}
ALLOWED_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}


class PngError(Exception):
    pass


def read_chunks(data):
    if data[:8] != SIGNATURE:
        raise PngError("not a PNG file (bad signature)")
    pos, chunks = 8, []
    while True:
        if pos + 12 > len(data):
            raise PngError("truncated file (no IEND chunk)")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise PngError(f"truncated {kind!r} chunk")
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4:end])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise PngError(f"bad CRC in the {kind.decode('latin-1')} chunk")
        chunks.append((kind, body))
        pos = end
        if kind == b"IEND":
            return chunks


def unfilter(raw, height, stride, bpp):
    """The reconstructed scanlines (bytes objects), filters undone."""
    if len(raw) < height * (stride + 1):
        raise PngError("the image data is shorter than the image")
    prev = bytes(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        ftype = raw[start]
        line = raw[start + 1:start + 1 + stride]
        if ftype == 0:
            cur = line
        elif ftype == 2 and not any(line):
            cur = prev  # Up with no change: the white background's common case
        elif ftype in (1, 2, 3, 4):
            cur = bytearray(line)
            if ftype == 1:
                for i in range(bpp, stride):
                    cur[i] = (cur[i] + cur[i - bpp]) & 0xFF
            elif ftype == 2:
                cur = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
            elif ftype == 3:
                for i in range(stride):
                    left = cur[i - bpp] if i >= bpp else 0
                    cur[i] = (cur[i] + ((left + prev[i]) >> 1)) & 0xFF
            else:
                for i in range(stride):
                    if i >= bpp:
                        a, c = cur[i - bpp], prev[i - bpp]
                    else:
                        a = c = 0
                    b = prev[i]
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    if pa <= pb and pa <= pc:
                        pred = a
                    elif pb <= pc:
                        pred = b
                    else:
                        pred = c
                    cur[i] = (cur[i] + pred) & 0xFF
            cur = bytes(cur)
        else:
            raise PngError(f"unknown filter type {ftype} on row {y}")
        rows.append(cur)
        prev = cur
    return rows


def samples(row, depth, count):
    """The first `count` samples of a row at bit depth `depth`, as ints."""
    if depth == 8:
        return row[:count]
    if depth == 16:
        return [row[2 * i] << 8 | row[2 * i + 1] for i in range(count)]
    per_byte = 8 // depth
    mask = (1 << depth) - 1
    out = []
    for byte in row:
        for k in range(per_byte):
            out.append((byte >> (8 - depth * (k + 1))) & mask)
    return out[:count]


def count_non_white(rows, width, ctype, depth, palette, trns):
    channels = CHANNELS[ctype]
    top = (1 << depth) - 1
    white_row = None
    count = 0
    for row in rows:
        if row == white_row:
            continue
        vals = samples(row, depth, width * channels)
        n = 0
        if ctype == 3:
            for idx in vals:
                r, g, b = palette[idx] if idx < len(palette) else (0, 0, 0)
                alpha = trns[idx] if idx < len(trns) else 255
                if alpha and (r, g, b) != (255, 255, 255):
                    n += 1
        elif ctype in (0, 2):
            for x in range(width):
                px = vals[x * channels:(x + 1) * channels]
                if any(v != top for v in px):
                    n += 1
        else:  # 4, 6: the last channel is alpha
            for x in range(width):
                px = vals[x * channels:(x + 1) * channels]
                if px[-1] and any(v != top for v in px[:-1]):
                    n += 1
        if n == 0:
            white_row = row  # identical rows are common: skip them quickly
        count += n
    return count


def check(path, width, height, min_pixels):
    with open(path, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PngError("larger than 64 MB")
    chunks = read_chunks(data)
    if chunks[0][0] != b"IHDR" or len(chunks[0][1]) != 13:
        raise PngError("the first chunk is not a valid IHDR")
    w, h, depth, ctype, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if ctype not in CHANNELS or depth not in ALLOWED_DEPTHS[ctype]:
        raise PngError(f"invalid colour type {ctype} / bit depth {depth}")
    if compression != 0 or filtering != 0:
        raise PngError("unknown compression or filter method")
    if interlace != 0:
        raise PngError("interlaced (Adam7) PNGs are not decoded")
    if w == 0 or h == 0 or w * h > MAX_PIXELS:
        raise PngError(f"unreasonable size {w}x{h}")
    desc = f"{w}x{h} {NAMES[ctype]} {depth}-bit"
    if (width and w != width) or (height and h != height):
        raise PngError(f"{desc}: expected {width or w}x{height or h}")
    palette, trns = [], b""
    for kind, body in chunks:
        if kind == b"PLTE":
            palette = [tuple(body[i:i + 3]) for i in range(0, len(body) - 2, 3)]
        elif kind == b"tRNS":
            trns = body
    if ctype == 3 and not palette:
        raise PngError("a palette image without a PLTE chunk")
    idat = b"".join(body for kind, body in chunks if kind == b"IDAT")
    if not idat:
        raise PngError("no IDAT chunk")
    bits = w * CHANNELS[ctype] * depth
    stride = (bits + 7) // 8
    bpp = max(1, CHANNELS[ctype] * depth // 8)
    limit = h * (stride + 1)
    try:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(idat, limit + 1)
    except zlib.error as exc:
        raise PngError(f"the image data does not inflate: {exc}") from None
    rows = unfilter(raw, h, stride, bpp)
    non_white = count_non_white(rows, w, ctype, depth, palette, trns)
    return desc, non_white


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="check_png.py",
        description="Check a PNG: valid, of the expected size, not blank (prints the non-white pixel count).")
    parser.add_argument("png", metavar="OUT.png")
    parser.add_argument("--width", type=int, default=1000, help="expected width (0: any; default 1000)")
    parser.add_argument("--height", type=int, default=700, help="expected height (0: any; default 700)")
    parser.add_argument("--min-pixels", type=int, default=1, metavar="N",
                        help="fewer non-white pixels than N is blank (default 1)")
    args = parser.parse_args(argv)
    try:
        desc, non_white = check(args.png, args.width, args.height, args.min_pixels)
    except OSError as exc:
        print(f"{PROG}: {args.png}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except PngError as exc:
        print(f"{PROG}: {args.png}: {exc}", file=sys.stderr)
        return 1
    if non_white < args.min_pixels:
        print(f"{PROG}: {args.png}: {desc}, {non_white} non-white pixels: blank", file=sys.stderr)
        return 1
    print(f"{PROG}: {args.png}: {desc}, {non_white} non-white pixels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
