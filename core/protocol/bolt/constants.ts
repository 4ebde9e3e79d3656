// SOFABolt protocol v1 (sofa-bolt's RpcProtocol; MOSN pkg/protocol/xprotocol/bolt/types.go).

export const PROTOCOL_V1 = 0x01;
/** Bolt v2 (RpcProtocolV2) adds a version byte, a switch byte and an optional CRC32. */
export const PROTOCOL_V2 = 0x02;

export const TYPE_RESPONSE = 0;
export const TYPE_REQUEST = 1;
export const TYPE_ONEWAY = 2;

export const CMD_HEARTBEAT = 0;
export const CMD_REQUEST = 1;
export const CMD_RESPONSE = 2;

export const HESSIAN2 = 1;

export const STATUS_SUCCESS = 0;
export const STATUS_SERVER_EXCEPTION = 2;
export const STATUS_UNKNOWN = 3;
export const STATUS_SERVER_THREADPOOL_BUSY = 4;
export const STATUS_NO_PROCESSOR = 6;
export const STATUS_TIMEOUT = 7;
export const STATUS_CODEC_EXCEPTION = 9;
export const STATUS_CONNECTION_CLOSED = 16;
