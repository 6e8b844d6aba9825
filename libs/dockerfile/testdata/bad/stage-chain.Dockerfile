# A runs on the build platform and B inherits it: fine.
FROM --platform=$BUILDPLATFORM alpine:3.20 AS a
RUN apk add --no-cache make
FROM a AS b
RUN make -C /src all

# C has no --platform: its RUN is emulated for a foreign target, and D inherits that.
FROM scratch AS c
COPY --from=b /src/out /
RUN ["/bin/busybox", "--install"]
FROM c AS d
RUN echo d > /d
