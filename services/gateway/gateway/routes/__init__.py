"""The gateway's HTTP routes, one module per area of API.md.

Each module holds a mixin of `@http` entrypoints and `PATHS`, its part of the OpenAPI
document. `gateway.service.GatewayService` composes the mixins; `gateway.openapi` merges
the paths (a test checks the two agree).
"""
