from django.apps import AppConfig


class GraphConfig(AppConfig):
    name = "county.graph"
    label = "graph"
    verbose_name = "GraphQL 全县视图"
