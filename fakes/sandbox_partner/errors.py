"""The one error type the HTTP layer turns into a MoMo-style ``{"code", "message"}`` body."""


class PartnerError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict:
        return {"code": self.code, "message": self.message}


def bad_request(code: str, message: str) -> PartnerError:
    return PartnerError(400, code, message)
