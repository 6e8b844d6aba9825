FROM --platform=$BUILDPLATFORM debian:bookworm AS rootfs
# The heredoc body is shell, not Dockerfile: its FROM and RUN lines are not instructions.
RUN <<EOF
set -eux
mkdir -p /rootfs/etc
echo 'FROM is just a word here' > /rootfs/etc/motd
echo 'RUN too' >> /rootfs/etc/motd
EOF
COPY <<-"PASSWD" /rootfs/etc/passwd
	root:x:0:0:root:/root:/sbin/nologin
	nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
	PASSWD

FROM scratch
COPY --from=rootfs /rootfs/ /
USER 65532
