# The builder platform comes from a global ARG that defaults to $BUILDPLATFORM,
# and the test stage inherits it from the build stage.
ARG BUILDER_PLATFORM=$BUILDPLATFORM
ARG BUILDER_IMAGE=golang:1.22-alpine

FROM --platform=$BUILDER_PLATFORM ${BUILDER_IMAGE} AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app

FROM build AS test
RUN go vet ./... && go test ./...

FROM test AS lint
RUN gofmt -l . | tee /tmp/unformatted && test ! -s /tmp/unformatted

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
