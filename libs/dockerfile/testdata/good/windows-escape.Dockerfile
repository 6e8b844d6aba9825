# escape=`
# A Windows-style file: the backtick continues lines and backslashes are literal.
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
WORKDIR C:\src
COPY . .
RUN go build `
    -o C:\out\app.exe `
    .\cmd\app

FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY --from=build C:\out\app.exe C:\app.exe
ENTRYPOINT ["C:\\app.exe"]
