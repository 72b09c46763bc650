from rest_framework.routers import SimpleRouter


class Router(SimpleRouter):
    """Routes with or without the trailing slash (API.md writes ``/posts/{id}/subordinates``)."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"
