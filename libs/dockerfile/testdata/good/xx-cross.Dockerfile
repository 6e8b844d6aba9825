# syntax=docker/dockerfile:1
# The tonistiigi/xx pattern: helpers copied into a $BUILDPLATFORM stage.
FROM --platform=${BUILDPLATFORM} tonistiigi/xx:1.4.0 AS xx

FROM --platform=${BUILDPLATFORM} golang:1.22-alpine AS build
COPY --from=xx / /
ARG TARGETPLATFORM
ENV CGO_ENABLED=0
WORKDIR /src
RUN --mount=target=. \
    --mount=type=cache,target=/root/.cache \
    --mount=type=cache,target=/go/pkg/mod \
    xx-go build -o /out/app . && \
    xx-verify --static /out/app

FROM alpine:3.20 AS certs
COPY --from=build /out/app /usr/local/bin/app
ENTRYPOINT ["/usr/local/bin/app"]
