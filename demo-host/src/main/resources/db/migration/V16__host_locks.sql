-- One row for each step that one instance of a cluster at a time may take. A step holds its row with
-- SELECT … FOR UPDATE while it runs: a row lock, which H2 and PostgreSQL both have, released when the step's
-- transaction ends or its connection dies.
CREATE TABLE host_locks (
    name VARCHAR(100) PRIMARY KEY
);
INSERT INTO host_locks (name) VALUES ('offline-demo-emulator');
