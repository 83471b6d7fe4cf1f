// The shape of generated/schema-rules.js: a JSON Schema as the arbitraries read it (rules only).

export interface SchemaRule {
  /** A component schema, by name. */
  ref?: string;
  type?: string | string[];
  enum?: (string | number | boolean | null)[];
  pattern?: string;
  /** The one length every match of `pattern` has, when that is proven. */
  patternLength?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  required?: string[];
  items?: SchemaRule;
  anyOf?: SchemaRule[];
  properties?: Record<string, SchemaRule>;
}

export interface ParameterSchema {
  name: string;
  /** The camel-cased key the client takes it by. */
  key: string;
  in: string;
  required: boolean;
  /** A value the service writes (a page token): a client sends one it was given, never one it made up. */
  opaque?: boolean;
  schema: SchemaRule;
}
