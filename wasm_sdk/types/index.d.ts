// Ithaca's rules core for Node ≥ 20 and for pages that edit rules (`ithaca-sdk/tools`): the tools
// engine, the same core as the page's with every entry point. Every method returns the
// JSON text the native `ithaca` command prints for the same input, and none throws: a broken
// engine answers {"error":{"kind":"engine",…}}.

/** A rule set or context: a JSON value, or its JSON text. */
export type JsonInput = string | Record<string, unknown>;

export interface Engine {
  /** One `ithaca eval --batch` output line: {"value":…} or {"error":{"kind","message","position"}}. */
  evaluate(expr: string, context?: JsonInput | null): string;
  /** One raw `ithaca eval --batch` input line ({"expr","context"}) → its output line. */
  evaluateLine(line: string): string;
  /** `ithaca check`: {"ok":true,…} or {"ok":false,"errors":[{"path","message","position"}]}. */
  check(rules: JsonInput): string;
  /** `ithaca decide`: the decisions with explanations, or {"error":…}. */
  decide(rules: JsonInput, context: JsonInput): string;
  /** `ithaca context`: context attributes derived from raw signals. */
  context(raw: RawSignals | string): string;
  /** Loads a rule set once for many decisions: {id > 0}, or {id: 0, report} (the check report). */
  load(rules: JsonInput): { id: number; report?: string };
  /**
   * Loads a compiled rule set (`ithaca compile`, compile(), or the tracker's
   * GET /v1/rules/{site}?compiled=1) once: {id > 0}, or {id: 0, report} saying why not.
   * The only loader the page's engine has (docs/compiled-rules.md).
   */
  loadCompiled(bytes: Uint8Array | ArrayBuffer): { id: number; report?: string };
  /** A JSON rule set compiled for pages: {bytes}, or {report} (the `ithaca check` report). */
  compile(rules: JsonInput): { bytes?: Uint8Array; report?: string };
  /**
   * Decisions of a loaded rule set; byte for byte what decide() gives. With `{explain: false}`
   * each explanation holds only its `summary` (no `conditions`, no `skipped`): what the browser
   * SDK asks for outside debug mode.
   */
  decideLoaded(id: number, context: JsonInput, options?: { explain?: boolean }): string;
  /**
   * The brief decisions of a loaded rule set as an object: equal to
   * `JSON.parse(decideLoaded(id, context, { explain: false }))`, without a JSON text to write
   * and parse per call (the wasm answers with numbers into texts parsed once per rule set).
   * The parts that never change between decisions are shared and frozen: treat it as read-only.
   * Only the attributes the rule set reads are handed to the wasm (packed, not as JSON), so a
   * value JSON cannot carry elsewhere in the context does not make it an error (docs/sdk.md).
   */
  decideBrief(id: number, context: JsonInput): any;
  /** Makes now what decideBrief needs from a rule set's second decision on (for idle time); false for an unknown id. */
  prepareBrief(id: number): boolean;
  /** Each slot's declared variants ({variant: {props?}}; {} when it declares none); null for an unknown id. */
  slotVariants(id: number): Record<string, Record<string, { props?: any; description?: string }>> | null;
  unload(id: number): void;
  /** Packed contexts the wasm refused although their JSON text decides: 0 unless the packer has a bug. */
  readonly unpackFailures: number;
  /** Why the engine stopped working, or null. */
  readonly failure: string | null;
}

/** Raw signals the core classifies (see docs/sdk.md). */
export interface RawSignals {
  user_agent?: string;
  ua_ch?: { brands?: { brand: string; version: string }[]; mobile?: boolean; platform?: string; [k: string]: unknown };
  url?: string;
  referrer?: string;
  site_host?: string;
  /** epoch milliseconds */
  now?: number;
  /** minutes east of UTC, i.e. -Date.prototype.getTimezoneOffset() */
  tz_offset_minutes?: number;
  timezone?: string;
  languages?: string[];
  country?: string;
}

/** Instantiates a fresh engine (in a browser, `url` overrides where ithaca-tools.wasm is fetched from). */
export function loadEngine(url?: string | URL): Promise<Engine>;

/**
 * Instantiates the engine exactly as a page has it (browser/ithaca.wasm): it loads compiled rule
 * sets only (loadCompiled); evaluate, check, decide, load and compile answer with an error.
 * For benchmarks and tests of what pages run.
 */
export function loadPageEngine(): Promise<Engine>;
