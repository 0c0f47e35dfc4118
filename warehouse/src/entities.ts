/**
 * The canonical entities (DESIGN.md, contract): the loaders' target columns, their types, keys and rules.
 * Loaders map any source onto these; the SQL models read only these.
 */
export type ColumnType = 'varchar' | 'integer' | 'bigint' | 'decimal' | 'double' | 'boolean' | 'date' | 'timestamp' | 'varchar[]';

export interface ColumnSpec {
  type: ColumnType;
  /** Names a source may use for this column (compared case- and accent-insensitively, ignoring punctuation). */
  aliases?: string[];
  required?: boolean;
  /** Allowed values after lower-casing, trimming and applying `synonyms`. */
  allowed?: string[];
  /**
   * Source spellings mapped onto a canonical value, compared after lower-casing and trimming
   * (e.g. `online` → `web`). Applied before the `allowed` check; implies lower-casing.
   */
  synonyms?: Record<string, string>;
  /** Normalise the case of a text value (`allowed` and `synonyms` imply lower). */
  case?: 'lower' | 'upper';
  /** The (normalised) text value must fully match this regular expression; otherwise the row is quarantined with the message. */
  pattern?: { regex: string; message: string };
  /** Value used when the source leaves the column empty. */
  default?: string;
  /** Plausible range, as SQL over the typed value `v`; a row outside it is quarantined with this message. */
  check?: { sql: string; message: string };
}

export interface EntitySpec {
  name: EntityName;
  key: string[];
  columns: Record<string, ColumnSpec>;
}

const notFuture = (what: string) => ({ sql: "v <= now()::TIMESTAMP + INTERVAL 1 DAY AND v >= TIMESTAMP '1990-01-01'", message: `${what} outside 1990-01-01 .. tomorrow` });
const nonNegative = { sql: 'v >= 0', message: 'negative value' };

/** Order channels and the spellings exports use for them. */
const ORDER_CHANNEL_SYNONYMS: Record<string, string> = {
  online: 'web', 'e-commerce': 'web', ecommerce: 'web', 'e commerce': 'web', website: 'web', internet: 'web', webshop: 'web', 'web shop': 'web', 'online store': 'web',
  shop: 'store', 'in-store': 'store', 'in store': 'store', instore: 'store', pos: 'store', retail: 'store', tienda: 'store', loja: 'store', offline: 'store',
  'mobile app': 'app', mobile: 'app', 'mobile-app': 'app',
  telephone: 'phone', 'call center': 'phone', 'call centre': 'phone', callcenter: 'phone',
  'social media': 'social', 'social commerce': 'social',
};
const ORDER_STATUS_SYNONYMS: Record<string, string> = {
  complete: 'completed', paid: 'completed', shipped: 'completed', delivered: 'completed', fulfilled: 'completed',
  canceled: 'cancelled', void: 'cancelled', voided: 'cancelled',
  return: 'returned', refunded: 'returned', refund: 'returned',
};
const TICKET_STATUS_SYNONYMS: Record<string, string> = {
  new: 'open', reopened: 'open', 'in progress': 'pending', 'on hold': 'pending', waiting: 'pending', solved: 'resolved', done: 'closed',
};
const NETWORK_SYNONYMS: Record<string, string> = { twitter: 'x', 'x.com': 'x', 'twitter.com': 'x', fb: 'facebook', ig: 'instagram' };
const ISO_CURRENCY = { regex: '[A-Z]{3}', message: 'not an ISO 4217 currency code (three letters)' };

export const ENTITIES = {
  customers: {
    key: ['customer_id'],
    columns: {
      customer_id: { type: 'varchar', required: true, aliases: ['customer', 'customerid', 'client id', 'cliente', 'id cliente', 'customer number', 'id'] },
      loyalty_id: { type: 'varchar', aliases: ['loyalty card', 'loyalty', 'card number', 'tarjeta', 'cartao', 'loyalty number'] },
      email: { type: 'varchar', aliases: ['e-mail', 'mail', 'email address', 'correo', 'correo electronico'] },
      phone: { type: 'varchar', aliases: ['telephone', 'mobile', 'telefono', 'telefone', 'phone number'] },
      first_name: { type: 'varchar', aliases: ['firstname', 'given name', 'nombre', 'nome'] },
      last_name: { type: 'varchar', aliases: ['lastname', 'surname', 'family name', 'apellidos', 'apellido', 'sobrenome'] },
      birth_date: { type: 'date', aliases: ['birthdate', 'date of birth', 'dob', 'birthday', 'fecha nacimiento'] },
      gender: { type: 'varchar', aliases: ['sex', 'genero', 'sexo'] },
      city: { type: 'varchar', aliases: ['town', 'ciudad', 'cidade'] },
      region: { type: 'varchar', aliases: ['state', 'province', 'provincia', 'estado'] },
      country: { type: 'varchar', aliases: ['pais', 'country code'] },
      created_at: { type: 'timestamp', aliases: ['created', 'signup date', 'registered', 'registration date', 'fecha alta'] },
      marketing_consent: { type: 'boolean', aliases: ['marketing opt-in', 'opt-in', 'optin', 'consent', 'newsletter', 'accepts marketing'] },
      consent_updated_at: { type: 'timestamp', aliases: ['opt-in updated', 'consent date', 'consent updated'] },
    },
  },
  orders: {
    key: ['order_id'],
    columns: {
      order_id: { type: 'varchar', required: true, aliases: ['invoiceno', 'invoice', 'invoice no', 'order', 'order number', 'pedido', 'ticket'] },
      customer_id: { type: 'varchar', aliases: ['customerid', 'customer', 'client id', 'cliente'] },
      ordered_at: { type: 'timestamp', required: true, aliases: ['invoicedate', 'order date', 'date', 'created at', 'fecha', 'data'], check: notFuture('order date') },
      channel: { type: 'varchar', default: 'store', allowed: ['store', 'web', 'app', 'marketplace', 'phone', 'social'], synonyms: ORDER_CHANNEL_SYNONYMS, aliases: ['sales channel', 'canal'] },
      store_id: { type: 'varchar', aliases: ['storeid', 'store', 'shop', 'tienda', 'loja'] },
      status: { type: 'varchar', default: 'completed', allowed: ['completed', 'cancelled', 'returned'], synonyms: ORDER_STATUS_SYNONYMS, aliases: ['order status', 'estado'] },
      currency: { type: 'varchar', default: 'EUR', case: 'upper', pattern: ISO_CURRENCY, aliases: ['currency code', 'moneda', 'moeda'] },
      total_amount: { type: 'decimal', aliases: ['total', 'amount', 'order total', 'importe'] },
      campaign_id: { type: 'varchar', aliases: ['campaignid', 'campaign', 'utm campaign'] },
    },
  },
  order_lines: {
    key: ['order_id', 'line_number'],
    columns: {
      order_id: { type: 'varchar', required: true, aliases: ['invoiceno', 'invoice', 'invoice no', 'order', 'order number', 'pedido'] },
      line_number: { type: 'integer', aliases: ['line', 'line no', 'lineno', 'linea'] },
      sku: { type: 'varchar', aliases: ['stockcode', 'stock code', 'product id', 'item', 'article', 'referencia'] },
      product_name: { type: 'varchar', aliases: ['description', 'product', 'item name', 'descripcion', 'produto'] },
      category: { type: 'varchar', aliases: ['product category', 'categoria', 'department'] },
      quantity: { type: 'decimal', required: true, aliases: ['qty', 'units', 'cantidad', 'quantidade'] },
      unit_price: { type: 'decimal', required: true, aliases: ['unitprice', 'price', 'precio', 'preco'] },
    },
  },
  social_profiles: {
    key: ['profile_id'],
    columns: {
      profile_id: { type: 'varchar', required: true, aliases: ['id', 'author id', 'user id'] },
      network: { type: 'varchar', required: true, case: 'lower', synonyms: NETWORK_SYNONYMS, aliases: ['platform', 'source', 'red'] },
      handle: { type: 'varchar', aliases: ['username', 'screen name', 'user'] },
      display_name: { type: 'varchar', aliases: ['name', 'full name'] },
      followers: { type: 'bigint', aliases: ['followers count', 'seguidores'], check: nonNegative },
      location: { type: 'varchar', aliases: ['city', 'place'] },
      email: { type: 'varchar', aliases: ['e-mail', 'mail'] },
      loyalty_id: { type: 'varchar', aliases: ['loyalty card', 'loyalty'] },
      customer_id: { type: 'varchar', aliases: ['customerid', 'crm id'] },
    },
  },
  mentions: {
    key: ['mention_id'],
    columns: {
      mention_id: { type: 'varchar', required: true, aliases: ['id', 'post id', 'message id'] },
      network: { type: 'varchar', required: true, case: 'lower', synonyms: NETWORK_SYNONYMS, aliases: ['platform', 'source', 'red'] },
      profile_id: { type: 'varchar', aliases: ['author id', 'author_id', 'user id'] },
      author_handle: { type: 'varchar', aliases: ['author', 'handle', 'username', 'screen name'] },
      posted_at: { type: 'timestamp', required: true, aliases: ['created at', 'created_at', 'date', 'published', 'timestamp'], check: notFuture('post date') },
      text: { type: 'varchar', aliases: ['content', 'message', 'body', 'texto'] },
      lang: { type: 'varchar', aliases: ['language', 'idioma'] },
      brand: { type: 'varchar', aliases: ['marca', 'topic'] },
      likes: { type: 'bigint', default: '0', aliases: ['favorites', 'reactions'], check: nonNegative },
      shares: { type: 'bigint', default: '0', aliases: ['retweets', 'reposts'], check: nonNegative },
      comments: { type: 'bigint', default: '0', aliases: ['replies'], check: nonNegative },
      reach: { type: 'bigint', aliases: ['impressions', 'audience'], check: nonNegative },
      url: { type: 'varchar', aliases: ['link', 'permalink'] },
      source_sentiment: { type: 'varchar', allowed: ['positive', 'neutral', 'negative'], aliases: ['sentiment', 'tone', 'polarity'] },
      is_owned: { type: 'boolean', default: 'false', aliases: ['owned', 'own post'] },
    },
  },
  support_tickets: {
    key: ['ticket_id'],
    columns: {
      ticket_id: { type: 'varchar', required: true, aliases: ['id', 'case id', 'ticket'] },
      customer_id: { type: 'varchar', aliases: ['customerid', 'customer'] },
      profile_id: { type: 'varchar', aliases: ['author id'] },
      channel: { type: 'varchar', aliases: ['source', 'canal'] },
      opened_at: { type: 'timestamp', required: true, aliases: ['created', 'created at', 'opened'], check: notFuture('ticket open date') },
      first_response_at: { type: 'timestamp', aliases: ['first response', 'first reply at'] },
      resolved_at: { type: 'timestamp', aliases: ['resolved', 'closed at'] },
      status: { type: 'varchar', allowed: ['open', 'pending', 'resolved', 'closed'], synonyms: TICKET_STATUS_SYNONYMS, aliases: ['state'] },
      priority: { type: 'varchar', default: 'normal', allowed: ['low', 'normal', 'high', 'urgent'], aliases: ['severity'] },
      agent_id: { type: 'varchar', aliases: ['agent', 'assignee'] },
      csat: { type: 'integer', aliases: ['satisfaction', 'rating'], check: { sql: 'v BETWEEN 1 AND 5', message: 'csat outside 1..5' } },
    },
  },
  web_traffic_daily: {
    key: ['date', 'source'],
    columns: {
      date: { type: 'date', required: true, aliases: ['day', 'fecha'] },
      source: { type: 'varchar', required: true, aliases: ['channel', 'medium'] },
      sessions: { type: 'bigint', check: nonNegative, aliases: ['visits'] },
      users: { type: 'bigint', check: nonNegative, aliases: ['visitors'] },
      conversions: { type: 'bigint', check: nonNegative, aliases: ['transactions', 'goals'] },
    },
  },
  search_volume: {
    key: ['date', 'term'],
    columns: {
      date: { type: 'date', required: true, aliases: ['day', 'week'] },
      term: { type: 'varchar', required: true, aliases: ['keyword', 'query'] },
      brand: { type: 'varchar', aliases: ['marca'] },
      volume: { type: 'bigint', check: nonNegative, aliases: ['searches', 'interest'] },
    },
  },
  follower_counts: {
    key: ['date', 'network', 'brand'],
    columns: {
      date: { type: 'date', required: true, aliases: ['day'] },
      network: { type: 'varchar', required: true, case: 'lower', synonyms: NETWORK_SYNONYMS, aliases: ['platform'] },
      brand: { type: 'varchar', required: true, aliases: ['account'] },
      followers: { type: 'bigint', check: nonNegative, aliases: ['followers count', 'fans'] },
    },
  },
  campaigns: {
    key: ['campaign_id'],
    columns: {
      campaign_id: { type: 'varchar', required: true, aliases: ['id', 'campaign'] },
      name: { type: 'varchar', aliases: ['campaign name'] },
      channel: { type: 'varchar', aliases: ['medium'] },
      start_date: { type: 'date', aliases: ['start', 'from'] },
      end_date: { type: 'date', aliases: ['end', 'to'] },
      spend: { type: 'decimal', check: nonNegative, aliases: ['cost', 'budget', 'inversion'] },
      currency: { type: 'varchar', default: 'EUR' },
    },
  },
  brands: {
    key: ['brand'],
    columns: {
      brand: { type: 'varchar', required: true, aliases: ['name'] },
      is_own: { type: 'boolean', default: 'false', aliases: ['own', 'is own'] },
      keywords: { type: 'varchar[]', aliases: ['terms'] },
    },
  },
} satisfies Record<string, Omit<EntitySpec, 'name'>>;

export type EntityName = keyof typeof ENTITIES;
export const ENTITY_NAMES = Object.keys(ENTITIES) as EntityName[];

export function entity(name: string): EntitySpec {
  if (!(name in ENTITIES)) {
    throw new Error(`Unknown entity "${name}". Known entities: ${ENTITY_NAMES.join(', ')}`);
  }
  return { name: name as EntityName, ...(ENTITIES as Record<string, Omit<EntitySpec, 'name'>>)[name] };
}

export const SQL_TYPES: Record<ColumnType, string> = {
  varchar: 'VARCHAR',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  decimal: 'DECIMAL(18,4)',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  'varchar[]': 'VARCHAR[]',
};
