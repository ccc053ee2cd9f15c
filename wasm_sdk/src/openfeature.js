// An OpenFeature web provider backed by Ithaca: each flag key is a slot. A string flag is the
// slot's variant name; a boolean, number or object flag reads the variant's props.value (an
// object flag gets all props), and a boolean flag without props.value is true when a rule or an
// experiment chose the variant. Evaluating a flag counts as showing it (an exposure for
// experiments). Written against the provider interface, so it needs nothing from
// @openfeature/web-sdk at run time.

const REASON = { rule: 'TARGETING_MATCH', experiment: 'SPLIT', default: 'DEFAULT', forced: 'STATIC' };
const CONFIGURATION_CHANGED = 'PROVIDER_CONFIGURATION_CHANGED';

// The provider-events surface the OpenFeature SDKs attach to (`provider.events`): handlers per
// event type; a handler that throws or rejects does not stop the others.
class ProviderEvents {
  constructor() {
    this.handlers = new Map();
  }
  addHandler(type, handler) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(handler);
  }
  removeHandler(type, handler) {
    const list = this.handlers.get(type) || [];
    const i = list.lastIndexOf(handler);
    if (i >= 0) list.splice(i, 1);
  }
  removeAllHandlers(type) {
    if (type === undefined) this.handlers.clear();
    else this.handlers.delete(type);
  }
  getHandlers(type) {
    return (this.handlers.get(type) || []).slice();
  }
  setLogger() {
    return this; // the SDK's logger: this emitter logs nothing
  }
  emit(type, details) {
    for (const h of this.getHandlers(type)) {
      try {
        Promise.resolve(h(details)).catch(() => {});
      } catch {
        /* one handler's failure is not the others' */
      }
    }
  }
}

// What a flag evaluates to, for telling which flags a new decision changed.
const flagState = (d) => JSON.stringify([d.variant, d.reason, d.props || null]);

export class IthacaProvider {
  /**
   * @param {object} ithaca an instance returned by start() (or anything with the same API)
   * @param {{expose?: boolean}} [options]
   */
  constructor(ithaca, options = {}) {
    this.ithaca = ithaca;
    this.exposeOnEvaluate = options.expose !== false;
    this.metadata = { name: 'ithaca' };
    this.runsOn = 'client';
    this.hooks = [];
    this.events = new ProviderEvents();
    this.seen = new Map(); // flag → flagState of the last decision
    this.ownChange = false;
  }

  async initialize(context) {
    await this.ithaca.ready;
    if (context) this.applyContext(context);
    this.unsubscribe = this.ithaca.onChange((decisions) => this.decided(decisions));
  }

  async onContextChange(_old, next) {
    this.applyContext(next);
  }

  async onClose() {
    if (this.unsubscribe) this.unsubscribe();
    this.unsubscribe = null;
  }

  // Every new decision of the instance: flags whose value changed for a reason other than the
  // evaluation context (rules refreshed, interests, consent, setCustom …) are announced as
  // PROVIDER_CONFIGURATION_CHANGED; context changes are the SDK's own PROVIDER_CONTEXT_CHANGED.
  decided(decisions) {
    const changed = [];
    const names = new Set([...this.seen.keys(), ...Object.keys(decisions || {})]);
    for (const name of names) {
      const d = decisions && decisions[name];
      const now = d ? flagState(d) : undefined;
      if (now !== this.seen.get(name)) changed.push(name);
      if (d) this.seen.set(name, now);
      else this.seen.delete(name);
    }
    if (!this.primed || this.ownChange) {
      this.primed = true;
      return;
    }
    if (changed.length) this.events.emit(CONFIGURATION_CHANGED, { flagsChanged: changed.sort() });
  }

  // The evaluation context's attributes become `custom`; its targetingKey, when given,
  // becomes visitor.id so experiments bucket on it. Each context replaces the one before (a
  // logout's context without the user's targetingKey and attributes leaves none of them behind).
  applyContext(context) {
    const custom = {};
    for (const [k, v] of Object.entries(context || {})) if (k !== 'targetingKey') custom[k] = v;
    const partial = { custom };
    if (context && context.targetingKey) partial.visitor = { id: String(context.targetingKey) };
    this.ownChange = true;
    try {
      this.ithaca.replaceContext(partial);
    } finally {
      this.ownChange = false;
    }
  }

  resolve(flagKey, defaultValue, pick) {
    const d = this.ithaca.decision(flagKey);
    if (!d) {
      const status = String(this.ithaca.status || '');
      return {
        value: defaultValue,
        reason: 'ERROR',
        errorCode: status === 'decided' ? 'FLAG_NOT_FOUND' : 'PROVIDER_NOT_READY',
        errorMessage: `no decision for slot "${flagKey}"`,
      };
    }
    const value = pick(d);
    if (value === undefined) {
      return {
        value: defaultValue,
        reason: 'ERROR',
        errorCode: 'TYPE_MISMATCH',
        errorMessage: `slot "${flagKey}" has no value of the requested type`,
      };
    }
    if (this.exposeOnEvaluate) this.ithaca.expose(flagKey);
    const flagMetadata = {};
    if (d.rule) flagMetadata.rule = d.rule;
    if (d.experiment) {
      flagMetadata.experiment = d.experiment.id;
      flagMetadata.bucket = d.experiment.bucket;
    }
    return { value, variant: d.variant, reason: REASON[d.reason] || 'UNKNOWN', flagMetadata };
  }

  resolveBooleanEvaluation(flagKey, defaultValue) {
    return this.resolve(flagKey, defaultValue, (d) => {
      const v = d.props && d.props.value;
      if (typeof v === 'boolean') return v;
      return v === undefined ? d.reason !== 'default' : undefined;
    });
  }

  resolveStringEvaluation(flagKey, defaultValue) {
    return this.resolve(flagKey, defaultValue, (d) => String(d.variant));
  }

  resolveNumberEvaluation(flagKey, defaultValue) {
    return this.resolve(flagKey, defaultValue, (d) =>
      d.props && typeof d.props.value === 'number' ? d.props.value : undefined,
    );
  }

  resolveObjectEvaluation(flagKey, defaultValue) {
    return this.resolve(flagKey, defaultValue, (d) => (d.props && typeof d.props === 'object' ? d.props : {}));
  }
}
