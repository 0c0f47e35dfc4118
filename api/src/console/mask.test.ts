import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '@scrm/warehouse';
import { maskField } from '../pii.ts';
import { maskedView, maskExpression } from './mask.ts';

/** The console's SQL masks must give exactly what the API's JavaScript masks give. */
let db: Database;
let conn: Connection;
beforeAll(async () => {
  db = await Database.open(':memory:');
  conn = await db.connect();
});
afterAll(() => {
  conn?.close();
  db?.close();
});

const samples: Record<string, (string | null)[]> = {
  email: ['maria.garcia@example.es', 'broken', '@nouser.com', 'a@b@c.org', 'x@y', null, ''],
  phone: ['+34 612 345 678', '12', '(11) 99999-1234', 'n/a', null],
  full_name: ['María José García', '  Ana   Souza ', 'Ō', '', null],
  first_name: ['Émile', 'jean-paul', null],
  customer_name: ['Li Wei', null],
};

describe('console PII masks in SQL', () => {
  for (const [field, values] of Object.entries(samples)) {
    it(`${field} agrees with maskField`, async () => {
      for (const v of values) {
        const got = await conn.value('SELECT ' + maskExpression(field, '$1::VARCHAR'), [v]);
        expect(got, JSON.stringify(v)).toEqual(maskField(field, v));
      }
    });
  }

  it('birth_date (a DATE column) agrees with maskField on its ISO text', async () => {
    for (const v of ['1987-03-02', '2001-12-31', null]) {
      const got = await conn.value('SELECT ' + maskExpression('birth_date', '$1::DATE'), [v]);
      expect(got).toEqual(maskField('birth_date', v));
    }
  });

  it('the masked view replaces the PII columns and keeps the others', async () => {
    await conn.run('CREATE SCHEMA marts');
    await conn.run("CREATE TABLE marts.people AS SELECT 'C1' AS id, 'ana@x.br' AS email, 'Ana Souza' AS full_name, DATE '1987-03-02' AS birth_date");
    const view = maskedView('memory', 'people', ['email', 'full_name', 'birth_date']);
    await conn.run(view.sql);
    expect(await conn.all(`SELECT * FROM temp.main.${view.name}`)).toEqual([{ id: 'C1', email: 'a***@x.br', full_name: 'A. S.', birth_date: '1980s' }]);
  });
});
