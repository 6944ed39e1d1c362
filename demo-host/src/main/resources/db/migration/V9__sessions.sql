-- HTTP sessions, shared by every instance of a cluster: Jetty's JDBC session store, in the table and with the
-- columns it makes itself (created here, by the migration every instance waits for, so that two instances starting
-- at once do not both try). ${binary} is bytea on PostgreSQL, blob on H2, as Jetty chooses.
create table JettySessions (sessionId varchar(120), contextPath varchar(60), virtualHost varchar(60),
    lastNode varchar(60), accessTime bigint, lastAccessTime bigint, createTime bigint, cookieTime bigint,
    lastSavedTime bigint, expiryTime bigint, maxInterval bigint, map ${binary},
    primary key(sessionId, contextPath, virtualHost));
create index idx_JettySessions_expiry on JettySessions (expiryTime);
create index idx_JettySessions_session on JettySessions (sessionId, contextPath);
