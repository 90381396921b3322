// The console API's types for shared records: fields with their writes and open conflicts, notes,
// and attachments (api.ts re-exports them).
import type { JsonValue } from './api';

/** One write to a field: who, when, what. */
export interface WriteDto {
  readonly author: string;
  readonly seq: number;
  readonly atMs: number;
  readonly value: JsonValue;
}

export interface FieldDto {
  readonly name: string;
  readonly value: JsonValue;
  /** Writes that did not see each other and are not settled yet: the winner shown, and the rest. */
  readonly conflict: { readonly winner: WriteDto; readonly losers: readonly WriteDto[] } | null;
}

export interface RecordDto {
  readonly recordId: string;
  readonly form: string;
  readonly createdBy: string;
  readonly fields: readonly FieldDto[];
  readonly notes: readonly string[];
  /** The same notes with who wrote each and when. */
  readonly noteDetails: readonly { readonly text: string; readonly author: string; readonly seq: number; readonly atMs: number }[];
  readonly attachments: readonly AttachmentDto[];
}

/** A file attached to a record: named in the record (that crosses the radio), its bytes in the attaching node's side feed (LAN only). */
export interface AttachmentDto {
  /** The file's name as attached. */
  readonly name: string;
  /** The SHA-256 of its bytes (64 hex digits): what a download asks for. */
  readonly blobHash: string;
  readonly size: number;
  readonly mime: string;
  /** Of the file's chunks, how many this node holds and how many there are (null before any arrived). */
  readonly chunksHeld: number;
  readonly chunks: number | null;
}
