import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
  IdempotencyRecordStatus,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';

/**
 * A Powertools persistence layer kept in memory: Powertools' own idempotency logic runs unchanged, only the
 * store (DynamoDB or Redis when deployed; the integration tests use a real redis-server) is a Map, so unit
 * tests and mutation runs need no server. Conditional put as the cache layer does it. A class because
 * Powertools' extension point is one.
 */
export class MemoryPersistenceLayer extends BasePersistenceLayer {
  readonly records = new Map<string, IdempotencyRecord>();
  /** Set to make every store call fail, as an unreachable store does. */
  down: Error | undefined;

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    this.fail();
    const record = this.records.get(idempotencyKey);
    if (!record) throw new IdempotencyItemNotFoundError('Item does not exist in persistence store');
    return record;
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    this.fail();
    const existing = this.records.get(record.idempotencyKey);
    if (existing && !existing.isExpired()) {
      const completed = existing.getStatus() === IdempotencyRecordStatus.COMPLETED;
      const running = existing.getStatus() === IdempotencyRecordStatus.INPROGRESS && (existing.inProgressExpiryTimestamp ?? 0) > Date.now();
      if (completed || running) throw new IdempotencyItemAlreadyExistsError(`exists: ${record.idempotencyKey}`, existing);
    }
    this.records.set(record.idempotencyKey, record);
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.fail();
    this.records.set(record.idempotencyKey, record);
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.fail();
    this.records.delete(record.idempotencyKey);
  }

  private fail(): void {
    if (this.down) throw this.down;
  }
}
