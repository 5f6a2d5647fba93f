import { HTTP_METHODS, isObj } from './helpers.js';

type Obj = Record<string, unknown>;

const V3_SCHEMA_KEYS = new Set([
  'title', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern',
  'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required', 'enum', 'type', 'allOf', 'oneOf',
  'anyOf', 'not', 'items', 'properties', 'additionalProperties', 'description', 'format', 'default', 'nullable',
  'discriminator', 'readOnly', 'writeOnly', 'xml', 'externalDocs', 'example', 'deprecated', '$ref',
]);
const V2_SCHEMA_KEYS = new Set([
  '$ref', 'format', 'title', 'description', 'default', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required', 'enum',
  'additionalProperties', 'type', 'items', 'allOf', 'properties', 'discriminator', 'readOnly', 'xml', 'externalDocs', 'example',
]);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

/** Checks one Schema Object (recursively) of the given flavour; pushes problems with their location. */
export function checkSchema(schema: unknown, where: string, flavour: 'v3' | 'v2', refPrefix: string, targets: Obj, problems: string[]): void {
  if (!isObj(schema)) {
    problems.push(`${where}: schema is not an object`);
    return;
  }
  const allowed = flavour === 'v3' ? V3_SCHEMA_KEYS : V2_SCHEMA_KEYS;
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-')) continue;
    if (!allowed.has(key)) problems.push(`${where}: keyword ${key} is not allowed`);
    switch (key) {
      case '$ref': {
        if (typeof value !== 'string' || !value.startsWith(refPrefix)) problems.push(`${where}: $ref ${String(value)} is not local`);
        else if (!isObj(targets[value.slice(refPrefix.length)])) problems.push(`${where}: $ref ${value} does not resolve`);
        const siblings = Object.keys(schema).filter((k) => k !== '$ref' && k !== 'description');
        if (flavour === 'v3' ? Object.keys(schema).length > 1 : siblings.length > 0) problems.push(`${where}: $ref with siblings`);
        break;
      }
      case 'type':
        if (typeof value !== 'string' || !TYPES.has(value)) problems.push(`${where}: bad type ${JSON.stringify(value)}`);
        break;
      case 'required':
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string') || value.length === 0) problems.push(`${where}: bad required`);
        break;
      case 'enum':
        if (!Array.isArray(value) || value.length === 0) problems.push(`${where}: bad enum`);
        break;
      case 'nullable':
      case 'uniqueItems':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
      case 'readOnly':
        if (typeof value !== 'boolean') problems.push(`${where}: ${key} must be boolean`);
        break;
      case 'properties':
        if (!isObj(value)) problems.push(`${where}: properties must be an object`);
        else for (const [name, sub] of Object.entries(value)) checkSchema(sub, `${where}.properties.${name}`, flavour, refPrefix, targets, problems);
        break;
      case 'items':
        checkSchema(value, `${where}.items`, flavour, refPrefix, targets, problems);
        break;
      case 'additionalProperties':
        if (typeof value !== 'boolean') checkSchema(value, `${where}.additionalProperties`, flavour, refPrefix, targets, problems);
        break;
      case 'not':
        checkSchema(value, `${where}.not`, flavour, refPrefix, targets, problems);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        if (!Array.isArray(value) || value.length === 0) problems.push(`${where}: ${key} must be a non-empty array`);
        else value.forEach((sub, i) => checkSchema(sub, `${where}.${key}[${i}]`, flavour, refPrefix, targets, problems));
        break;
      default:
    }
  }
  if (schema['type'] === 'array' && !isObj(schema['items'])) problems.push(`${where}: array without items`);
}

const templateParams = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);

/**
 * A cheap structural check of an OpenAPI 3.0 document: required top-level members, path items and
 * operations (responses with descriptions, unique operationIds, parameters with `in`/`schema`,
 * every path template parameter declared and required), request bodies, and every Schema Object
 * (known keywords only, `$ref`s local and resolving). Returns the problems found.
 */
export function checkOpenApi3(doc: Obj): string[] {
  const problems: string[] = [];
  if (typeof doc['openapi'] !== 'string' || !/^3\.0\.\d+$/.test(doc['openapi'])) problems.push('openapi must be 3.0.x');
  const info = doc['info'];
  if (!isObj(info) || typeof info['title'] !== 'string' || typeof info['version'] !== 'string') problems.push('info needs title and version');
  for (const key of Object.keys(doc)) if (!['openapi', 'info', 'servers', 'paths', 'components', 'security', 'tags', 'externalDocs'].includes(key) && !key.startsWith('x-')) problems.push(`unknown top-level ${key}`);
  const components = isObj(doc['components']) ? doc['components'] : {};
  const schemas = isObj(components['schemas']) ? components['schemas'] : {};
  const prefix = '#/components/schemas/';
  for (const [name, schema] of Object.entries(schemas)) {
    if (!/^[a-zA-Z0-9.\-_]+$/.test(name)) problems.push(`component name ${name} is invalid`);
    checkSchema(schema, name, 'v3', prefix, schemas, problems);
  }
  const paths = doc['paths'];
  if (!isObj(paths)) return [...problems, 'paths missing'];
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/')) problems.push(`path ${path} must start with /`);
    if (!isObj(item)) {
      problems.push(`${path}: not an object`);
      continue;
    }
    for (const key of Object.keys(item)) if (![...HTTP_METHODS, 'parameters', 'summary', 'description', 'servers'].includes(key as never) && !key.startsWith('x-')) problems.push(`${path}: unknown key ${key}`);
    const pathLevel = Array.isArray(item['parameters']) ? (item['parameters'] as Obj[]) : [];
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (!isObj(op)) {
        problems.push(`${where}: not an object`);
        continue;
      }
      if (typeof op['operationId'] === 'string') {
        if (ids.has(op['operationId'])) problems.push(`${where}: duplicate operationId ${op['operationId']}`);
        ids.add(op['operationId']);
      }
      const responses = op['responses'];
      if (!isObj(responses) || Object.keys(responses).length === 0) problems.push(`${where}: no responses`);
      else {
        for (const [code, response] of Object.entries(responses)) {
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) problems.push(`${where}: bad response code ${code}`);
          if (!isObj(response) || typeof response['description'] !== 'string') problems.push(`${where} ${code}: response needs a description`);
          else if (isObj(response['content'])) for (const [type, media] of Object.entries(response['content'])) checkSchema((media as Obj)['schema'], `${where} ${code} ${type}`, 'v3', prefix, schemas, problems);
        }
      }
      const opParams = Array.isArray(op['parameters']) ? (op['parameters'] as Obj[]) : [];
      const seen = new Set<string>();
      for (const p of [...pathLevel, ...opParams]) {
        if (typeof p['name'] !== 'string' || !['query', 'header', 'path', 'cookie'].includes(p['in'] as string)) problems.push(`${where}: bad parameter ${JSON.stringify(p)}`);
        if (!isObj(p['schema']) && !isObj(p['content'])) problems.push(`${where}: parameter ${String(p['name'])} needs a schema`);
        if (p['in'] === 'path' && p['required'] !== true) problems.push(`${where}: path parameter ${String(p['name'])} must be required`);
        if (opParams.includes(p)) {
          const key = `${String(p['in'])}:${String(p['name'])}`;
          if (seen.has(key)) problems.push(`${where}: duplicate parameter ${key}`);
          seen.add(key);
        }
      }
      for (const name of templateParams(path)) {
        if (![...pathLevel, ...opParams].some((p) => p['in'] === 'path' && p['name'] === name)) problems.push(`${where}: path parameter ${name} is not declared`);
      }
      const body = op['requestBody'];
      if (body !== undefined) {
        if (!isObj(body) || !isObj(body['content']) || Object.keys(body['content']).length === 0) problems.push(`${where}: requestBody needs content`);
        else for (const [type, media] of Object.entries(body['content'])) checkSchema((media as Obj)['schema'], `${where} body ${type}`, 'v3', prefix, schemas, problems);
      }
    }
  }
  return problems;
}
