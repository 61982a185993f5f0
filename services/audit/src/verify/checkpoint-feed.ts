import type { Checkpoint } from '../domain/checkpoint-statement.js';
import type { TrustedKeys } from '../signing/checkpoint-signer.js';
import { checkCheckpoint } from './checkpoint-series.js';
import type { AuditLogSource } from './log-source.js';
import type { TamperFinding } from './tamper.js';

/**
 * The checkpoints of a chain, read in pages alongside the entries and checked as they are read.
 * It reads one checkpoint beyond the entries walked so far: a deleted checkpoint shows only in its
 * successor, and must be reported before the walk passes the position where it was.
 */
export class CheckpointFeed {
  private readonly queue: Checkpoint[] = [];
  private head = 0;
  private last: Checkpoint | undefined;
  private exhausted = false;
  /** The first problem in the series; checkpoints after it are not used. */
  problem: TamperFinding | undefined;

  /** `through`: checkpoints beyond it (made while verifying) are left for the next run, like entries. */
  constructor(
    private readonly source: AuditLogSource,
    private readonly chainId: string,
    private readonly trusted: TrustedKeys,
    private readonly pageSize: number,
    private readonly through: number,
  ) {}

  /** Reads checkpoints until one beyond `sequence` is held, the series ends, or a problem shows. */
  async readBeyond(sequence: number): Promise<void> {
    while (!this.exhausted && this.problem === undefined && (this.last?.sequence ?? 0) <= sequence) {
      const after = this.last?.sequence ?? 0;
      const page = await this.source.checkpoints(this.chainId, after, this.pageSize);
      if (page.length < this.pageSize) this.exhausted = true;
      for (const checkpoint of page) {
        if (checkpoint.sequence > this.through) {
          this.exhausted = true;
          break;
        }
        this.problem = checkCheckpoint(this.chainId, this.last, checkpoint, this.trusted);
        if (this.problem !== undefined) break;
        this.queue.push(checkpoint);
        this.last = checkpoint;
      }
    }
    // Keep the queue short on long chains: drop what has been consumed.
    if (this.head > 1024) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** The series problem if it lies at or before `sequence`. */
  problemAt(sequence: number): TamperFinding | undefined {
    return this.problem !== undefined && this.problem.sequence <= sequence ? this.problem : undefined;
  }

  /** The next valid checkpoint not yet consumed. */
  peek(): Checkpoint | undefined {
    return this.queue[this.head];
  }

  /** Consumes the next checkpoint. */
  take(): Checkpoint | undefined {
    const checkpoint = this.queue[this.head];
    if (checkpoint !== undefined) this.head++;
    return checkpoint;
  }
}
