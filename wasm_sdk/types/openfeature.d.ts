// An OpenFeature web provider backed by Ithaca: flag keys are slots. Declared against
// @openfeature/web-sdk's own types (its Provider interface), which a page using OpenFeature has
// installed; the provider has no run-time dependency on it.
import type { ErrorCode, EvaluationContext, Hook, JsonValue, Provider, ProviderEventEmitter, ProviderEvents, ResolutionDetails } from '@openfeature/web-sdk';
import type { Ithaca } from './browser.js';

export interface IthacaProviderOptions {
  /** Count an evaluation as showing the slot (sends an exposure for experiments). Default true. */
  expose?: boolean;
}

export declare class IthacaProvider implements Provider {
  constructor(ithaca: Ithaca, options?: IthacaProviderOptions);
  readonly metadata: { name: 'ithaca' };
  readonly runsOn: 'client';
  readonly hooks: Hook[];
  /** Emits PROVIDER_CONFIGURATION_CHANGED with `flagsChanged` when decisions change for a reason other than the evaluation context. */
  readonly events: ProviderEventEmitter<ProviderEvents>;
  initialize(context?: EvaluationContext): Promise<void>;
  onContextChange(oldContext: EvaluationContext, newContext: EvaluationContext): Promise<void>;
  onClose(): Promise<void>;
  /** `errorCode` is one of ErrorCode's values (FLAG_NOT_FOUND, TYPE_MISMATCH, …). */
  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): ResolutionDetails<boolean>;
  resolveStringEvaluation(flagKey: string, defaultValue: string): ResolutionDetails<string>;
  resolveNumberEvaluation(flagKey: string, defaultValue: number): ResolutionDetails<number>;
  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): ResolutionDetails<T>;
}

export type { ErrorCode };
