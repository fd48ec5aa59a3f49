/**
 * Progress of reading a file, in bytes of its size, on stderr: a redrawn bar when stderr is a
 * terminal, plain lines otherwise (one when the file has been read; for files of 1 MB or more
 * also one at the start and one at each quarter).
 */
import { Transform } from 'node:stream';
import { bytes } from './output.ts';

const BAR = 30;
const REDRAW_MS = 100;
const STEP_LINES_FROM = 1024 * 1024;

export class ByteProgress {
  private read = 0;
  private lastDraw = 0;
  private nextQuarter = 1;
  private closed = false;
  private readonly tty: boolean;

  constructor(private readonly label: string, private readonly total: number, private readonly out: NodeJS.WriteStream = process.stderr) {
    this.tty = out.isTTY === true;
    if (this.tty) this.draw();
    else if (total >= STEP_LINES_FROM) out.write(`${label}: reading ${bytes(total)}\n`);
  }

  /** A pass-through stream that advances the bar by the bytes flowing through it. */
  meter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.add(chunk.length);
        cb(null, chunk);
      },
      flush: (cb) => {
        this.finish();
        cb();
      },
    });
  }

  add(n: number) {
    if (this.closed) return;
    this.read += n;
    if (this.tty) {
      const now = Date.now();
      if (now - this.lastDraw >= REDRAW_MS) this.draw();
    } else if (this.total >= STEP_LINES_FROM) {
      while (this.nextQuarter < 4 && this.read >= (this.total * this.nextQuarter) / 4) {
        this.out.write(`${this.label}: ${this.nextQuarter * 25}% (${bytes(this.read)} of ${bytes(this.total)})\n`);
        this.nextQuarter++;
      }
    }
  }

  /** The whole file was read: the bar at its final state; the service still writes after this. */
  finish() {
    if (this.closed) return;
    this.closed = true;
    if (this.tty) {
      this.draw();
      this.out.write('\n');
    } else {
      this.out.write(`${this.label}: read ${bytes(this.read)}\n`);
    }
  }

  /** Ends the bar's line if reading stopped early (a rejected header, an error). */
  stop() {
    if (this.closed) return;
    this.closed = true;
    if (this.tty) this.out.write('\n');
  }

  private draw() {
    this.lastDraw = Date.now();
    const share = this.total > 0 ? Math.min(1, this.read / this.total) : 1;
    const filled = Math.round(share * BAR);
    const bar = '█'.repeat(filled) + '░'.repeat(BAR - filled);
    this.out.write(`\r${this.label} [${bar}] ${String(Math.floor(share * 100)).padStart(3)}%  ${bytes(this.read)} / ${bytes(this.total)}\x1b[K`);
  }
}
