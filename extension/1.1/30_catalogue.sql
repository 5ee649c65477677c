
-- ---------------------------------------------------------------------------
-- Questionnaire catalogue: the trees the survey figures are computed on.
-- Built-in rows (builtin = true) come with the extension; rows users add are
-- kept by pg_dump (extension configuration tables).
-- ---------------------------------------------------------------------------

CREATE TABLE sipas.questionnaire (
	code		text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9._-]{1,32}$'),
	name_vi		text NOT NULL,
	name_en		text,
	source		text,
	first_year	integer,
	last_year	integer,
	builtin		boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE sipas.questionnaire IS 'SIPAS questionnaires: built-in 2017 (2640/QĐ-BNV) and 2023 (1001/QĐ-BNV), and users'' own';

CREATE TABLE sipas.node (
	questionnaire text NOT NULL REFERENCES sipas.questionnaire (code) ON UPDATE CASCADE ON DELETE CASCADE,
	code		text NOT NULL CHECK (code ~ '^[A-Za-z0-9._-]{1,32}$'),
	parent		text,
	kind		text NOT NULL CHECK (kind IN ('overall', 'part', 'element', 'group', 'item')),
	position	integer NOT NULL,
	name_vi		text NOT NULL,
	name_en		text,
	scale		integer CHECK (scale BETWEEN 2 AND 10),
	weight		double precision NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight < 'Infinity'),
	builtin		boolean NOT NULL DEFAULT false,
	PRIMARY KEY (questionnaire, code),
	-- no self-referencing foreign key on parent: pg_dump dumps configuration
	-- tables as data only and warns about such cycles; the tree (one root,
	-- known parents, no cycles, items as leaves) is checked when read
	CHECK ((kind = 'item') = (scale IS NOT NULL)),
	CHECK ((kind = 'overall') = (parent IS NULL))
);
COMMENT ON TABLE sipas.node IS
	'nodes of each questionnaire tree: overall -> parts/elements -> groups -> items; items carry their scale size';

SELECT pg_catalog.pg_extension_config_dump('sipas.questionnaire', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('sipas.node', 'WHERE NOT builtin');
-- one root (the overall node) per questionnaire
CREATE UNIQUE INDEX node_one_root ON sipas.node (questionnaire) WHERE parent IS NULL;
