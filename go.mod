module github.com/crossdock/crossdock

go 1.26
