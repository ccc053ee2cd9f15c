// Ithaca's browser SDK. Nothing here throws into the page: failures leave default content and
// are reported with console.warn (and in debug mode).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Consent {
  /** events may be sent to the tracker */
  analytics?: boolean;
  /** visit and journey state (and a visitor id) may be kept in first-party storage */
  personalization?: boolean;
}

export interface StartOptions {
  /** The site id of the rule set (GET {tracker}/v1/rules/{site}). */
  site: string;
  /** Base URL of the tracker; '' (default) means this page's origin. */
  tracker?: string;
  /**
   * An inline rule set, for sites without a tracker: compiled (`ithaca compile`), as its bytes or
   * their base64 text. A JSON rule set (object or JSON text) loads only into a tools engine given
   * as `engine` (docs/compiled-rules.md).
   */
  rules?: Uint8Array | ArrayBuffer | string | Record<string, unknown>;
  /** Overrides: where rules come from (a compiled rule set) / where events go. */
  rulesUrl?: string;
  collectUrl?: string;
  /** false: send no events at all. */
  collect?: boolean;
  /**
   * Ask the tracker's GET /v1/context once per visit (geo from the IP). Default: when rules come
   * from a tracker or `tracker` is given; false turns it off.
   */
  serverContext?: boolean;
  /** Overrides where the server context comes from. */
  contextUrl?: string;
  /** Longest wait in ms (from start) for the server context before the first decision (default 250, at most timeout/2). */
  contextTimeout?: number;
  /** Where ithaca.wasm is (default: next to ithaca.mjs). */
  wasmUrl?: string | URL;
  /** Nothing is persisted or sent until setConsent() allows it. */
  requireConsent?: boolean;
  /** Consent already known at start. */
  consent?: Consent;
  /** Honour Global Privacy Control and Do Not Track (default true): no storage, no events. */
  honorGlobalPrivacyControl?: boolean;
  /** Milliseconds slots may stay hidden before default content is shown (default 1000). */
  timeout?: number;
  /** The `custom` context group. */
  custom?: Record<string, Json>;
  /** Context attributes to set or override (deep-merged last), e.g. {geo: {country: 'DE'}}. */
  context?: Record<string, Json>;
  /** Where to look for data-ithaca-slot elements (default: document). */
  root?: ParentNode;
  /**
   * Show slots inserted into `root` after start as they arrive (default true): a single-page
   * app's routes, components rendered later. false: only the slots there at start and at page().
   */
  observeSlots?: boolean;
  /**
   * A single-page app: history.pushState (any same-document navigation, where the browser has the
   * Navigation API) and back/forward navigations that change the path or query count as page
   * views (page()). Default false; or call page() from your router.
   */
  spa?: boolean;
  /** Log decisions to the console (true) or also show the overlay ('overlay'). */
  debug?: boolean | 'overlay';
  /**
   * QA preview: {slot: variant} shown whatever the rules choose (reason 'forced', no exposure);
   * added to the page URL's ?ithaca_force=slot:variant,…. false: ignore ithaca_force.
   */
  force?: Record<string, string> | false;
  /**
   * Explanations in full (`conditions` and `skipped` beside `summary`) without debug output, for
   * pages that show visitors why they see something. Default false: summaries only (debug mode
   * always explains in full).
   */
  explain?: boolean;
  /** Events per request (default 20) and the longest wait before sending (ms, default 4000). */
  batchSize?: number;
  flushInterval?: number;
  /** Prefix of the localStorage keys (default 'ithaca:'). */
  storagePrefix?: string;
  /** Clock for tests: epoch milliseconds. */
  now?: () => number;
  /** An engine to use instead of loading the wasm (e.g. one from loadEngine() in Node). */
  engine?: unknown;
}

export interface ExperimentAssignment {
  id: string;
  variant: string;
  bucket: number;
}

export interface Decision {
  variant: string;
  reason: 'rule' | 'experiment' | 'default' | 'forced';
  /** the id of the rule that chose the variant; null for a default or forced decision */
  rule: string | null;
  experiment?: ExperimentAssignment;
  /** the variant's props; absent when it declares none */
  props?: Record<string, Json>;
  explanation: Record<string, Json>;
}

export interface Decisions {
  site: string;
  version: string;
  /** the visitor's journey stage (null when none matches), its index, and whether it moved on */
  journey?: { stage: string | null; index?: number; advanced?: boolean };
  segments?: Record<string, boolean>;
  /** segments whose condition failed to evaluate: id → error message */
  segment_errors?: Record<string, string>;
  decisions: Record<string, Decision>;
}

export type Unsubscribe = () => void;

export interface Ithaca {
  /** Settles once the first decision is made or the SDK gave up (never rejects). */
  readonly ready: Promise<void>;
  /** 'starting', 'decided' or 'failed: …' */
  readonly status: string;
  /** Milliseconds from the module's start: start() called, engine ready, page context derived, rules here, rules loaded into the engine, slots decided. */
  readonly timing: { start: number; engine?: number; context?: number; warmed?: number; rules?: number; loaded?: number; decided?: number; prepared?: number };
  decision(slot: string): Decision | null;
  decisions(): Decisions | null;
  /** Called now (when decided) and whenever the slot's variant changes. */
  subscribe(slot: string, callback: (decision: Decision, slot: string) => void): Unsubscribe;
  /** Called now (when decided) and after every new decision. */
  subscribe(callback: (decisions: Record<string, Decision>, all: Decisions) => void): Unsubscribe;
  onChange(callback: (decisions: Record<string, Decision>, all: Decisions) => void): Unsubscribe;
  /** A custom event; props.interest also records an interest. */
  track(name: string, props?: Record<string, Json>): void;
  /** A goal conversion (also kept in journey.goals). */
  conversion(goal: string, props?: Record<string, Json>): void;
  /** Records an interest (journey.interests, most recent first). */
  interest(name: string): void;
  /** Reports that a slot rendered by the page itself is shown (exposure for experiments). */
  expose(slot: string): void;
  /**
   * A page view without a page load (a single-page app's route change, called after the URL
   * changed): counts it in the visit, sends a pageview, reports exposures again, decides again.
   * With spa: true, a call for the URL the SDK has just counted is that same page view.
   */
  page(): void;
  setConsent(consent: Consent): void;
  /** Merges into the `custom` group and decides again. */
  setCustom(custom: Record<string, Json>): void;
  /** Deep-merges context attributes and decides again. */
  updateContext(partial: Record<string, Json>): void;
  /**
   * Context attributes that replace what the previous call set (deep-merged over the rest) and
   * decides again: for an integration that owns a whole evaluation context (the OpenFeature
   * provider), so that attributes it no longer has are gone.
   */
  replaceContext(attributes: Record<string, Json>): void;
  /** Sends queued events now. */
  flush(): void;
  debug(mode?: boolean | 'overlay'): void;
  /** The context of the last decision. */
  getContext(): Record<string, Json> | null;
}

/** Starts the SDK for this page and makes it the instance the functions below talk to. */
export function start(options: StartOptions): Ithaca;
export function instance(): Ithaca;
export function decision(slot: string): Decision | null;
export function decisions(): Decisions | null;
export function subscribe(slot: string, callback: (decision: Decision, slot: string) => void): Unsubscribe;
export function subscribe(callback: (decisions: Record<string, Decision>, all: Decisions) => void): Unsubscribe;
export function onChange(callback: (decisions: Record<string, Decision>, all: Decisions) => void): Unsubscribe;
export function track(name: string, props?: Record<string, Json>): void;
export function conversion(goal: string, props?: Record<string, Json>): void;
export function interest(name: string): void;
export function expose(slot: string): void;
export function page(): void;
export function setConsent(consent: Consent): void;
export function setCustom(custom: Record<string, Json>): void;
export function updateContext(partial: Record<string, Json>): void;
export function replaceContext(attributes: Record<string, Json>): void;
export function flush(): void;
export function debug(mode?: boolean | 'overlay'): void;
export function getContext(): Record<string, Json> | null;
/** The anti-flicker CSS (for a <style> in <head>), revealing slots after `revealAfterMs`. */
export function hideCss(revealAfterMs: number): string;
export const version: string;
