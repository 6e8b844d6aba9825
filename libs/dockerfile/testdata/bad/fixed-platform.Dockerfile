# A fixed --platform runs natively on amd64 hosts only; elsewhere it is emulated.
FROM --platform=linux/amd64 node:20-bookworm AS web
WORKDIR /web
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM --platform=$BUILDPLATFORM golang:1.22 AS build
COPY --from=web /web/dist /src/web/dist
RUN go build -o /out/app .

FROM scratch
COPY --from=build /out/app /app
