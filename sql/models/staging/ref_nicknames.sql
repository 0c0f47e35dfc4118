/*---
description: >
  Reference data shipped with the product: common Spanish and Portuguese first-name nicknames and the name
  they stand for (folded: lower case, no accents), used by identity matching ("Paqui Delgado" is Francisca
  Delgado). Extend the list in this file.
materialized: view
columns:
  nickname: The nickname, folded.
  canonical: The first name it stands for, folded (may be compound, e.g. maria jose).
---*/
SELECT * FROM (VALUES
  ('paco', 'francisco'), ('fran', 'francisco'), ('kiko', 'francisco'), ('chico', 'francisco'), ('curro', 'francisco'), ('pancho', 'francisco'),
  ('pepe', 'jose'), ('ze', 'jose'), ('manolo', 'manuel'), ('manu', 'manuel'), ('tono', 'antonio'), ('toni', 'antonio'),
  ('to', 'antonio'), ('toninho', 'antonio'), ('tonho', 'antonio'), ('nacho', 'ignacio'), ('guille', 'guillermo'),
  ('alex', 'alejandro'), ('rafa', 'rafael'), ('chus', 'jesus'), ('santi', 'santiago'), ('nando', 'fernando'),
  ('fer', 'fernando'), ('quique', 'enrique'), ('quino', 'joaquin'), ('rober', 'roberto'), ('beto', 'roberto'),
  ('edu', 'eduardo'), ('dudu', 'eduardo'), ('javi', 'javier'), ('dani', 'daniel'), ('albert', 'alberto'),
  ('gonza', 'gonzalo'), ('gui', 'guilherme'), ('vini', 'vinicius'), ('teteu', 'matheus'), ('gabi', 'gabriel'),
  ('leo', 'leonardo'), ('rique', 'henrique'), ('guga', 'gustavo'), ('lola', 'dolores'), ('concha', 'concepcion'),
  ('conchi', 'concepcion'), ('merche', 'mercedes'), ('pepa', 'josefa'), ('charo', 'rosario'), ('paqui', 'francisca'),
  ('chica', 'francisca'), ('cris', 'cristina'), ('patri', 'patricia'), ('pati', 'patricia'), ('bea', 'beatriz'),
  ('bia', 'beatriz'), ('encarna', 'encarnacion'), ('montse', 'montserrat'), ('isa', 'isabel'), ('tere', 'teresa'),
  ('inma', 'inmaculada'), ('mari', 'maria'), ('ju', 'juliana'), ('carol', 'carolina'), ('bela', 'isabela'),
  ('nanda', 'fernanda'), ('guida', 'margarida'), ('lu', 'luciana'), ('vicky', 'victoria'), ('nati', 'natalia'),
  ('majo', 'maria jose'), ('joselu', 'jose luis'), ('maica', 'maria carmen'), ('juanca', 'juan carlos'),
  ('migue', 'miguel angel'), ('duda', 'maria eduarda'), ('jp', 'joao pedro'), ('pili', 'pilar'), ('maite', 'maria teresa'),
  ('chema', 'jose maria'), ('lupe', 'guadalupe'), ('sole', 'soledad'), ('gabi', 'gabriela'),
  ('isa', 'isabela'), ('rafa', 'rafaela'), ('mari', 'mariana'), ('fran', 'francisco javier'), ('javi', 'francisco javier'),
  ('nando', 'luiz fernando')
) AS t(nickname, canonical)
