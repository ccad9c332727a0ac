"""The GraphQL endpoint: limits applied, GraphiQL served by the hall, Chinese errors, never 500.

Parsing and validating a document costs as much as executing a small one, and clients send
the same few documents again and again: the validated document is kept per query text.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError, execute, parse, validate

from county.graph.errors import error_format, message_chinese
from county.graph.limits import validation_rules
from county.graph.schema import schema

MAX_QUERY_CHARS = 20_000
RULES = validation_rules()


@lru_cache(maxsize=512)
def query_checked(query: str):
    """(document, errors) for a query text; the schema and rules never change at run time."""
    try:
        document = parse(query)
    except GraphQLError as exc:
        return None, [exc]
    return document, validate(schema.graphql_schema, document, RULES)


class HallGraphQLView(GraphQLView):
    # GraphiQL from the hall's own static files (deploy/static/deploy/vendor/graphiql): halls
    # run on intranets; graphene-django's template would load React and GraphiQL from a CDN.
    graphiql_template = "county/graphiql.html"
    format_error = staticmethod(error_format)

    def __init__(self, **kwargs):
        kwargs.setdefault("schema", schema)
        # On unless a hall's settings say HALL_GRAPHIQL = False (read-only; cases need a login).
        kwargs.setdefault("graphiql", getattr(settings, "HALL_GRAPHIQL", True))
        kwargs.setdefault("validation_rules", RULES)
        super().__init__(**kwargs)

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest(message_chinese("Must provide query string.")))
        if len(query) > MAX_QUERY_CHARS:
            return ExecutionResult(
                errors=[GraphQLError(f"查询过长(上限 {MAX_QUERY_CHARS} 字符)。")]
            )
        document, errors = query_checked(query)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        try:
            # The schema has no mutations: every document only reads.
            return execute(
                schema.graphql_schema,
                document,
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
            )
        except Exception as exc:  # graphene-django's own behaviour: an error, never a 500
            return ExecutionResult(errors=[exc])


# API clients post JSON without a CSRF token; sessions are not the way in for them and
# the view only reads (the schema has no mutations).
graphql_view = csrf_exempt(HallGraphQLView.as_view())
