/**
 * The phases of one request, in MOSN's order and with MOSN's names (pkg/types/proxy.go), so a
 * debug log reads like MOSN's: `enter phase MatchRoute[2]`. Phases after WaitNotify are reached
 * by the response arriving, not by a loop.
 */
export const Phase = {
  InitPhase: 0,
  DownFilter: 1,
  MatchRoute: 2,
  DownFilterAfterRoute: 3,
  ChooseHost: 4,
  DownFilterAfterChooseHost: 5,
  DownRecvHeader: 6,
  DownRecvData: 7,
  DownRecvTrailer: 8,
  Oneway: 9,
  Retry: 10,
  WaitNotify: 11,
  UpFilter: 12,
  UpRecvHeader: 13,
  UpRecvData: 14,
  UpRecvTrailer: 15,
  End: 16,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

export const PHASE_NAMES: readonly string[] = Object.keys(Phase);
