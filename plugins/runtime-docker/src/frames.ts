/** One frame of the engine's multiplexed stream (no TTY): which stream and its bytes. */
export interface Frame {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

/**
 * Splits the engine's multiplexed stdout/stderr stream into frames: an 8-byte header (stream type,
 * 3 zero bytes, big-endian payload length) then the payload. Chunks may cut frames anywhere.
 */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  /** Adds a chunk; returns the frames it completed. */
  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Frame[] = [];
    while (this.buffer.length >= 8) {
      const type = this.buffer.readUInt8(0);
      const length = this.buffer.readUInt32BE(4);
      if (this.buffer.length < 8 + length) break;
      const data = this.buffer.subarray(8, 8 + length);
      this.buffer = this.buffer.subarray(8 + length);
      if (type === 1 || type === 2) frames.push({ stream: type === 2 ? 'stderr' : 'stdout', data: Buffer.from(data) });
    }
    return frames;
  }
}
