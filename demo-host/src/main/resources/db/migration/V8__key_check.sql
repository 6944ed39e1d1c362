-- A value sealed with the key that encrypts secrets at rest, written by the first instance that starts. Every
-- instance opens it at start: one whose key differs (and so could not read the tokens and client secrets that are
-- stored) refuses to start instead of failing later, person by person.
CREATE TABLE key_check (
    id     INTEGER       PRIMARY KEY,
    sealed VARCHAR(200)  NOT NULL
);
