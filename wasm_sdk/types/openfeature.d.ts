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

export declare class IthacaProvider {
  constructor(ithaca: Ithaca, options?: IthacaProviderOptions);
  readonly metadata: { name: 'ithaca' };
  readonly runsOn: 'client';
  hooks: unknown[];
  initialize(context?: Record<string, unknown>): Promise<void>;
  onContextChange(oldContext: Record<string, unknown>, newContext: Record<string, unknown>): Promise<void>;
  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): ResolutionDetails<boolean>;
  resolveStringEvaluation(flagKey: string, defaultValue: string): ResolutionDetails<string>;
  resolveNumberEvaluation(flagKey: string, defaultValue: number): ResolutionDetails<number>;
  resolveObjectEvaluation<T extends object>(flagKey: string, defaultValue: T): ResolutionDetails<T>;
}
