# syntax=docker/dockerfile:1.7
FROM --platform=$BUILDPLATFORM alpine:3.20 AS tools
RUN <<EOF
FROM not-a-stage
RUN not-an-instruction
EOF

FROM alpine:3.20
# comments and continuations do not shift the lines reported
RUN <<-SETUP \
    && echo after
	apk add --no-cache tini
	SETUP
RUN \
  # a comment inside the continuation
  echo last
