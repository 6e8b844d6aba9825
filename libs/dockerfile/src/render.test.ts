import { describe, expect, it } from 'vitest';
import { generated, hermetic } from '../test/examples';
import {
  arg,
  cacheMount,
  cmd,
  comment,
  copy,
  entrypoint,
  env,
  expose,
  label,
  run,
  stage,
  user,
  workdir,
} from './build';
import { DockerfileModelError } from './errors';
import { Dockerfile, Instruction } from './model';
import { renderDockerfile, renderFrom } from './render';
import { renderInstruction } from './render-instruction';

describe('renderInstruction', () => {
  it.each<[string, Instruction, string]>([
    ['arg', arg('TARGETPLATFORM'), 'ARG TARGETPLATFORM'],
    ['arg with default', arg('GO_VERSION', '1.22'), 'ARG GO_VERSION=1.22'],
    ['arg with platform default', arg('P', '$BUILDPLATFORM'), 'ARG P=$BUILDPLATFORM'],
    ['arg with spaced default', arg('FLAGS', '-s -w'), 'ARG FLAGS="-s -w"'],
    ['arg with empty default', arg('E', ''), 'ARG E=""'],
    ['env', env({ CGO_ENABLED: '0' }), 'ENV CGO_ENABLED="0"'],
    ['env sorted, one per line', env({ B: '2', A: '1' }), 'ENV A="1" \\\n    B="2"'],
    ['env keeps $ for expansion', env({ PATH: '/go/bin:$PATH' }), 'ENV PATH="/go/bin:$PATH"'],
    [
      'env escapes quote and backslash',
      env({ V: 'say "hi" C:\\dir\\' }),
      'ENV V="say \\"hi\\" C:\\\\dir\\\\"',
    ],
    ['env single quotes and unicode', env({ V: "it's ünïcode #1" }), 'ENV V="it\'s ünïcode #1"'],
    ['copy', copy('rootfs/', '/rootfs/'), 'COPY rootfs/ /rootfs/'],
    ['copy several sources', copy(['a', 'b'], '/dst/'), 'COPY a b /dst/'],
    [
      'copy flags',
      copy('/rootfs/', '/', { from: 'rootfs', chown: '65532:65532', chmod: '0755', link: true }),
      'COPY --from=rootfs --chown=65532:65532 --chmod=0755 --link /rootfs/ /',
    ],
    ['copy with a space uses JSON form', copy('my file', '/a dir/'), 'COPY ["my file", "/a dir/"]'],
    [
      'copy with $ kept',
      copy('bin/$TARGETPLATFORM/app', '/usr/local/bin/app'),
      'COPY bin/$TARGETPLATFORM/app /usr/local/bin/app',
    ],
    ['run shell', run('go build ./...'), 'RUN go build ./...'],
    [
      'run exec',
      run(['go', 'build', '-o', '/out/app', '.']),
      'RUN ["go", "build", "-o", "/out/app", "."]',
    ],
    [
      'run exec escapes JSON',
      run(['sh', '-c', 'echo "a\\b"']),
      'RUN ["sh", "-c", "echo \\"a\\\\b\\""]',
    ],
    [
      'run with cache mount',
      run('go build', {
        mounts: [cacheMount('/root/.cache/go-build', { id: 'gobuild', sharing: 'locked' })],
      }),
      'RUN --mount=type=cache,target=/root/.cache/go-build,id=gobuild,sharing=locked \\\n    go build',
    ],
    [
      'run with two mounts',
      run(['ls'], {
        mounts: [
          { type: 'bind', target: '/src', from: 'ctx', readonly: true },
          { type: 'secret', id: 'npmrc', required: true },
        ],
      }),
      'RUN --mount=type=bind,target=/src,from=ctx,readonly \\\n    --mount=type=secret,id=npmrc,required \\\n    ["ls"]',
    ],
    [
      'run with env prefix',
      run('go build -o /out/app .', {
        env: { GOOS: '$TARGETOS', GOARM: '${TARGETVARIANT#v}', CGO_ENABLED: '0' },
      }),
      'RUN CGO_ENABLED="0" GOARM="${TARGETVARIANT#v}" GOOS="$TARGETOS" go build -o /out/app .',
    ],
    ['run env escapes backtick', run('true', { env: { X: 'a`b"c' } }), 'RUN X="a\\`b\\"c" true'],
    ['workdir', workdir('/src'), 'WORKDIR /src'],
    ['user', user('65532:65532'), 'USER 65532:65532'],
    [
      'entrypoint',
      entrypoint('/usr/local/bin/app', '--flag=a b'),
      'ENTRYPOINT ["/usr/local/bin/app", "--flag=a b"]',
    ],
    ['empty cmd', cmd(), 'CMD []'],
    ['cmd', cmd('serve'), 'CMD ["serve"]'],
    [
      'label',
      label({ 'org.opencontainers.image.source': 'https://example.test/x', 'my key': 'v "q"' }),
      'LABEL "my key"="v \\"q\\"" \\\n      org.opencontainers.image.source="https://example.test/x"',
    ],
    ['expose', expose('8080', '53/udp', '9000-9002/tcp'), 'EXPOSE 8080 53/udp 9000-9002/tcp'],
    ['comment', comment('one\n\ntwo'), '# one\n#\n# two'],
  ])('%s', (_, ins, text) => {
    expect(renderInstruction(ins)).toBe(text);
  });

  it.each<[string, Instruction, RegExp]>([
    ['newline in ENV value', env({ A: 'x\ny' }), /holds a line break/u],
    ['bad ENV name', env({ 'A-B': 'x' }), /ENV name "A-B" is not valid/u],
    ['empty ENV', env({}), /ENV needs at least one entry/u],
    ['label key with =', label({ 'a=b': 'x' }), /label key "a=b"/u],
    ['copy without sources', copy([], '/x'), /COPY needs at least one source/u],
    ['copy path with quote', copy('a"b', '/x'), /COPY path "a\\"b"/u],
    ['copy bad chmod', copy('a', '/x', { chmod: 'u+x' }), /octal mode/u],
    ['copy --from with space', copy('a', '/x', { from: 'a b' }), /COPY --from "a b"/u],
    ['empty exec RUN', run([]), /at least one argument/u],
    ['env on exec RUN', run(['ls'], { env: { A: '1' } }), /shell form only/u],
    ['multi-line shell RUN', run('a\nb'), /holds a line break/u],
    ['shell RUN that looks like JSON', run('["ls"]'), /starts with "\["/u],
    ['shell RUN with heredoc word', run('cat <<EOF > /x'), /heredoc opener/u],
    ['shell RUN ending in backslash', run('echo \\'), /line continuation/u],
    ['cache mount without target', run('x', { mounts: [{ type: 'cache' }] }), /needs a target/u],
    ['mount value with comma', run('x', { mounts: [cacheMount('/a,b')] }), /mount target "\/a,b"/u],
    ['workdir with space', workdir('/a b'), /WORKDIR path "\/a b"/u],
    ['bad port', expose('http'), /EXPOSE port "http"/u],
  ])('rejects %s', (_, ins, message) => {
    expect(() => renderInstruction(ins, 'stages[0].instructions[2]')).toThrow(message);
    expect(() => renderInstruction(ins, 'stages[0].instructions[2]')).toThrow(DockerfileModelError);
    expect(() => renderInstruction(ins, 'stages[0].instructions[2]')).toThrow(
      /^stages\[0\]\.instructions\[2\][.:]/u,
    );
  });
});

describe('renderFrom', () => {
  it.each([
    [{ from: 'scratch' }, 'FROM scratch'],
    [
      { from: 'golang:1.22', platform: '$BUILDPLATFORM', name: 'build' },
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
    ],
    [{ from: 'build', name: 'test.v2_x-y' }, 'FROM build AS test.v2_x-y'],
  ])('%j', (head, text) => {
    expect(renderFrom({ ...head, instructions: [] }, 'stages[0]')).toBe(text);
  });

  it.each([
    [{ from: '' }, /FROM image ""/u],
    [{ from: 'a b' }, /FROM image "a b"/u],
    [{ from: 'x', name: 'Build' }, /stage name "Build" must be lower case/u],
    [{ from: 'x', name: '1st' }, /stage name "1st"/u],
    [{ from: 'x', platform: '' }, /FROM --platform ""/u],
  ])('rejects %j', (head, message) => {
    expect(() => renderFrom({ ...head, instructions: [] }, 'stages[0]')).toThrow(message);
  });
});

describe('renderDockerfile', () => {
  it('renders the generated shape', () => {
    expect(renderDockerfile(generated)).toMatchInlineSnapshot(`
      "# generated by crossdock for hello; edit the project's options, not this file

      FROM --platform=$BUILDPLATFORM scratch AS rootfs
      ARG TARGETPLATFORM
      COPY --chmod=0755 bin/$TARGETPLATFORM/hello /rootfs/usr/local/bin/hello
      COPY rootfs/ /rootfs/

      FROM busybox:static
      COPY --from=rootfs --link /rootfs/ /
      ENV TZ="UTC"
      LABEL org.opencontainers.image.description="says \\"hello\\"" \\
            org.opencontainers.image.title="hello"
      EXPOSE 8080/tcp
      USER 65532:65532
      WORKDIR /
      ENTRYPOINT ["/usr/local/bin/hello"]
      CMD ["--listen=:8080"]
      "
    `);
  });

  it('renders the hermetic mode', () => {
    expect(renderDockerfile(hermetic)).toMatchInlineSnapshot(`
      "ARG GO_IMAGE=golang:1.22

      FROM --platform=$BUILDPLATFORM $GO_IMAGE AS build
      ARG TARGETOS
      ARG TARGETARCH
      ARG TARGETVARIANT
      WORKDIR /src
      COPY . .
      # cross-compile: no emulation, whatever the target
      RUN --mount=type=cache,target=/root/.cache/go-build,id=go-build \\
          --mount=type=cache,target=/go/pkg/mod,id=go-mod,sharing=locked \\
          CGO_ENABLED="0" GOARCH="$TARGETARCH" GOARM="\${TARGETVARIANT#v}" GOOS="$TARGETOS" go build -trimpath -o /out/app ./cmd/app

      FROM scratch
      COPY --from=build /out/app /app
      ENTRYPOINT ["/app"]
      "
    `);
  });

  it('writes a syntax directive only when asked', () => {
    expect(renderDockerfile(generated)).not.toContain('syntax');
    const text = renderDockerfile(generated, { syntax: 'docker/dockerfile:1' });
    expect(text.split('\n').slice(0, 2)).toEqual([
      '# syntax=docker/dockerfile:1',
      "# generated by crossdock for hello; edit the project's options, not this file",
    ]);
  });

  it('is deterministic whatever the key order', () => {
    const reordered: Dockerfile = {
      ...generated,
      stages: generated.stages.map((s) => ({
        ...s,
        instructions: s.instructions.map((i) =>
          i.kind === 'label'
            ? { ...i, labels: Object.fromEntries(Object.entries(i.labels).reverse()) }
            : i,
        ),
      })),
    };
    expect(renderDockerfile(reordered)).toBe(renderDockerfile(generated));
  });

  it('does not change its input', () => {
    const copyOf = JSON.parse(JSON.stringify(hermetic)) as unknown;
    renderDockerfile(hermetic);
    expect(hermetic).toEqual(copyOf);
  });

  it.each<[string, Dockerfile, object, RegExp]>([
    ['no stages', { stages: [] }, {}, /^stages: a Dockerfile needs at least one stage/u],
    [
      'unknown option',
      generated,
      { sytnax: 'x' },
      /unknown render option\(s\) sytnax; valid: syntax/u,
    ],
    [
      'header read as a directive',
      { header: ['escape=`'], stages: generated.stages },
      {},
      /would be read as a parser directive/u,
    ],
    [
      'bad global ARG name',
      { args: [{ name: '1X' }], stages: generated.stages },
      {},
      /^args\[0\]: ARG name "1X"/u,
    ],
    [
      'bad instruction',
      { stages: [stage({ from: 'x' }, [user('')])] },
      {},
      /^stages\[0\]\.instructions\[0\]: USER ""/u,
    ],
  ])('rejects %s', (_, df, options, message) => {
    expect(() => renderDockerfile(df, options)).toThrow(message);
  });
});
