/**
 * Labels, label selectors and field selectors with Kubernetes' semantics (k8s.io/apimachinery
 * `labels` and `fields`). Selectors satisfy the store's `LabelMatcher` and `FieldMatcher`.
 */
export { validateLabelKey, validateLabelValue, LABEL_NAME_MAX_LENGTH, LABEL_VALUE_MAX_LENGTH, LABEL_PREFIX_MAX_LENGTH } from './validation.js';
export { everything, nothing, selectorFromRequirements, type Requirement, type Selector, type SelectorOperator } from './selector.js';
export { parseSelector } from './parser.js';
export { selectorFromLabelSelector, selectorFromSet, type LabelSelectorLike, type LabelSelectorRequirementLike } from './label-selector.js';
export { supportedFieldsForKind } from './fields.js';
export {
  parseFieldSelector,
  escapeFieldValue,
  type FieldOperator,
  type FieldRequirement,
  type FieldSelector,
  type FieldSelectorOptions,
} from './field-selector.js';
