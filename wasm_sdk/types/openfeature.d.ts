// An OpenFeature web provider backed by Ithaca: flag keys are slots. Structurally compatible
// with @openfeature/web-sdk's Provider interface (no run-time dependency on it).
import type { Ithaca } from './browser.js';

export interface IthacaProviderOptions {
  /** Count an evaluation as showing the slot (sends an exposure for experiments). Default true. */
  expose?: boolean;
}

export interface ResolutionDetails<T> {
  value: T;
  variant?: string;
  reason?: string;
  errorCode?: string;
  errorMessage?: string;
  flagMetadata?: Record<string, string | number | boolean>;
}

/** Provider events as @openfeature/web-sdk attaches to them (`PROVIDER_CONFIGURATION_CHANGED` …). */
export interface IthacaProviderEvents {
  addHandler(type: string, handler: (details?: { flagsChanged?: string[] }) => unknown): void;
  removeHandler(type: string, handler: (details?: { flagsChanged?: string[] }) => unknown): void;
  removeAllHandlers(type?: string): void;
  getHandlers(type: string): Array<(details?: { flagsChanged?: string[] }) => unknown>;
  emit(type: string, details?: { flagsChanged?: string[] }): void;
}

export declare class IthacaProvider {
  constructor(ithaca: Ithaca, options?: IthacaProviderOptions);
  readonly metadata: { name: 'ithaca' };
  readonly runsOn: 'client';
  hooks: unknown[];
  /** Emits PROVIDER_CONFIGURATION_CHANGED with `flagsChanged` when decisions change for a reason other than the evaluation context. */
  readonly events: IthacaProviderEvents;
  initialize(context?: Record<string, unknown>): Promise<void>;
  onContextChange(oldContext: Record<string, unknown>, newContext: Record<string, unknown>): Promise<void>;
  onClose(): Promise<void>;
  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): ResolutionDetails<boolean>;
  resolveStringEvaluation(flagKey: string, defaultValue: string): ResolutionDetails<string>;
  resolveNumberEvaluation(flagKey: string, defaultValue: number): ResolutionDetails<number>;
  resolveObjectEvaluation<T extends object>(flagKey: string, defaultValue: T): ResolutionDetails<T>;
}
