// An OpenFeature web provider backed by Ithaca: each flag key is a slot. A string flag is the
// slot's variant name; a boolean, number or object flag reads the variant's props.value (an
// object flag gets all props), and a boolean flag without props.value is true when a rule or an
// experiment chose the variant. Evaluating a flag counts as showing it (an exposure for
// experiments). Written against the provider interface, so it needs nothing from
// @openfeature/web-sdk at run time.

const REASON = { rule: 'TARGETING_MATCH', experiment: 'SPLIT', default: 'DEFAULT' };

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
  }

  async initialize(context) {
    await this.ithaca.ready;
    if (context) this.applyContext(context);
  }

  async onContextChange(_old, next) {
    this.applyContext(next);
  }

  // The evaluation context's attributes become `custom`; its targetingKey, when given,
  // becomes visitor.id so experiments bucket on it.
  applyContext(context) {
    const custom = {};
    for (const [k, v] of Object.entries(context || {})) if (k !== 'targetingKey') custom[k] = v;
    const partial = { custom };
    if (context && context.targetingKey) partial.visitor = { id: String(context.targetingKey) };
    this.ithaca.updateContext(partial);
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
