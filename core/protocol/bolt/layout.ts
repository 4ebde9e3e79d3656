import { TYPE_RESPONSE } from "./constants.ts";

/**
 * Where the fields of a Bolt frame's fixed header sit. v1 (RpcProtocol) and v2 (RpcProtocolV2,
 * MOSN's "boltv2") carry the same fields; v2 adds a version byte after the protocol code and a
 * switch byte after the codec, whose bit 0 appends a CRC32 of the frame.
 */
export interface BoltLayout {
  /** The sub-protocol name as MOSN writes it. */
  readonly name: "bolt" | "boltv2";
  /** The protocol code, the frame's first byte. */
  readonly proto: number;
  readonly typeAt: number;
  readonly cmdAt: number;
  readonly idAt: number;
  readonly codecAt: number;
  /** The switch byte; -1 where there is none (v1). */
  readonly switchAt: number;
  /** The timeout (requests, 4 bytes) or the status (responses, 2 bytes). */
  readonly fieldAt: number;
}

export const V1: BoltLayout = Object.freeze({
  name: "bolt",
  proto: 0x01,
  typeAt: 1,
  cmdAt: 2,
  idAt: 5,
  codecAt: 9,
  switchAt: -1,
  fieldAt: 10,
});

export const V2: BoltLayout = Object.freeze({
  name: "boltv2",
  proto: 0x02,
  typeAt: 2,
  cmdAt: 3,
  idAt: 6,
  codecAt: 10,
  switchAt: 11,
  fieldAt: 12,
});

export const ID_LENGTH = 4;
export const CRC_LENGTH = 4;

/** Offset of the class, header and content lengths (2, 2 and 4 bytes). */
export function lengthsAt(layout: BoltLayout, type: number): number {
  return layout.fieldAt + (type === TYPE_RESPONSE ? 2 : 4);
}

/** The fixed header's length: v1 22 for requests and 20 for responses, v2 two more. */
export function headLength(layout: BoltLayout, type: number): number {
  return lengthsAt(layout, type) + 8;
}

/** Whether the frame ends with a CRC32 (v2 with the switch's CRC bit set). */
export function hasCrc(layout: BoltLayout, switchByte: number): boolean {
  return layout.switchAt >= 0 && (switchByte & 0x01) === 1;
}
