-- Wrong passwords per account and per client address, shared by every instance of a cluster, so a guesser cannot
-- multiply their attempts by the number of instances behind the load balancer.
CREATE TABLE sign_in_failures (
    throttle_key VARCHAR(300) PRIMARY KEY,
    failures     INT          NOT NULL,
    last_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    locked_until TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sign_in_failures_last_at ON sign_in_failures (last_at);
