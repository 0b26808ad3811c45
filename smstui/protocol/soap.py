"""The Web Service send (chapter 8): SOAP 1.1/1.2 envelopes, SendResult, faults and the WSDL."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from .errors import GatewayReplyError
from .wire import decode_body, reply_parser, to_int

NAMESPACE = "http://www.yysms.com/"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SOAP_ACTION = NAMESPACE + "SendSms"
_STRIP = {NAMESPACE: None, SOAP11: None, SOAP12: None, XSI: None, "http://www.w3.org/2001/XMLSchema": None}


@dataclass(frozen=True, slots=True)
class SoapSendRequest:
    """The arguments of SendSms as the simulator reads them."""

    user_name: str
    password: str
    msisdns: str
    content: str
    plan_send_time: str
    ext_number: str
    version: str = "1.1"


@dataclass(frozen=True, slots=True)
class SoapSendResult:
    """SendResult: StatusCode (`OK` or a §10 name), Description, MsgId, Amount, counts, Errors."""

    status_code: str
    description: str
    msg_id: str = ""
    amount: int | None = None
    success_count: int = 0
    billing_count: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the gateway accepted the send."""
        return self.status_code.strip().upper() == "OK"


def _envelope(body: str, version: str = "1.1") -> bytes:
    ns = SOAP12 if version == "1.2" else SOAP11
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:xsi="{XSI}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="{ns}">'
        f"<soap:Body>{body}</soap:Body></soap:Envelope>"
    ).encode("utf-8")


def build_soap_envelope(user_name: str, password: str, msisdns: str, content: str, plan_send_time: str, ext_number: str) -> bytes:
    """The SOAP 1.1 request for SendSms; an empty PlanSendTime is sent as `xsi:nil`."""
    plan = (
        f"<PlanSendTime>{escape(plan_send_time)}</PlanSendTime>"
        if plan_send_time
        else '<PlanSendTime xsi:nil="true" />'
    )
    body = (
        f'<SendSms xmlns="{NAMESPACE}">'
        f"<userName>{escape(user_name)}</userName><password>{escape(password)}</password>"
        f"<sms><Msisdns>{escape(msisdns)}</Msisdns><SMSContent>{escape(content)}</SMSContent>"
        f"{plan}<ExtNumber>{escape(ext_number)}</ExtNumber></sms></SendSms>"
    )
    return _envelope(body)


def _parse(raw: bytes | str) -> dict:
    import xmltodict
    from xml.parsers.expat import ExpatError

    text = decode_body(raw)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise GatewayReplyError("the XML declares a DTD or entities, which are refused", raw)
    try:
        document = xmltodict.parse(text, process_namespaces=True, namespaces=_STRIP, disable_entities=True)
    except (ExpatError, ValueError) as exc:
        raise GatewayReplyError(f"not XML ({exc})", raw) from None
    envelope = document.get("Envelope") if isinstance(document, dict) else None
    body = envelope.get("Body") if isinstance(envelope, dict) else None
    if not isinstance(body, dict):
        raise GatewayReplyError("not a SOAP envelope", raw)
    return body


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("#text") or "").strip()
    return str(value).strip()


@reply_parser
def parse_soap_request(raw: bytes | str) -> SoapSendRequest:
    """The SendSms arguments of a SOAP 1.1 or 1.2 request."""
    text = decode_body(raw)
    version = "1.2" if SOAP12 in text else "1.1"
    body = _parse(raw)
    call = body.get("SendSms")
    if not isinstance(call, dict):
        raise GatewayReplyError("the body holds no SendSms call", raw)
    sms = call.get("sms") if isinstance(call.get("sms"), dict) else {}
    return SoapSendRequest(
        user_name=_text(call.get("userName")),
        password=_text(call.get("password")),
        msisdns=_text(sms.get("Msisdns")),
        content=_text(sms.get("SMSContent")),
        plan_send_time=_text(sms.get("PlanSendTime")),
        ext_number=_text(sms.get("ExtNumber")),
        version=version,
    )


@reply_parser
def parse_soap_send_result(raw: bytes | str) -> SoapSendResult:
    """The SendResult of a SendSms response; a SOAP Fault is a failed result with its faultstring."""
    body = _parse(raw)
    fault = body.get("Fault")
    if isinstance(fault, dict):
        reason = fault.get("faultstring") or fault.get("Reason")
        if isinstance(reason, dict):
            reason = reason.get("Text")
        return SoapSendResult("Fault", _text(reason))
    response = body.get("SendSmsResponse")
    result = response.get("SendSmsResult") if isinstance(response, dict) else None
    if not isinstance(result, dict):
        raise GatewayReplyError("the body holds no SendSmsResult", raw)
    errors = result.get("Errors")
    if isinstance(errors, dict):
        errors = errors.get("string") or []
    if not isinstance(errors, list):
        errors = [errors] if errors else []
    status = _text(result.get("StatusCode"))
    if not status:
        raise GatewayReplyError("SendResult has no StatusCode", raw)
    return SoapSendResult(
        status_code=status,
        description=_text(result.get("Description")),
        msg_id=_text(result.get("MsgId")),
        amount=to_int(_text(result.get("Amount"))),
        success_count=to_int(_text(result.get("SuccessCounts"))) or 0,
        billing_count=to_int(_text(result.get("BillingCount"))) or 0,
        errors=[_text(e) for e in errors],
    )


def render_soap_send_result(result: SoapSendResult, version: str = "1.1") -> bytes:
    """The SendSms response envelope."""
    errors = "".join(f"<string>{escape(e)}</string>" for e in result.errors)
    body = (
        f'<SendSmsResponse xmlns="{NAMESPACE}"><SendSmsResult>'
        f"<StatusCode>{escape(result.status_code)}</StatusCode>"
        f"<Description>{escape(result.description)}</Description>"
        f"<MsgId>{escape(result.msg_id)}</MsgId>"
        f"<Amount>{result.amount if result.amount is not None else 0}</Amount>"
        f"<SuccessCounts>{result.success_count}</SuccessCounts>"
        f"<BillingCount>{result.billing_count}</BillingCount>"
        f"<Errors>{errors}</Errors>"
        "</SendSmsResult></SendSmsResponse>"
    )
    return _envelope(body, version)


def render_soap_fault(message: str, version: str = "1.1", client: bool = True) -> bytes:
    """A SOAP fault envelope."""
    if version == "1.2":
        code = "soap:Sender" if client else "soap:Receiver"
        body = (
            f"<soap:Fault><soap:Code><soap:Value>{code}</soap:Value></soap:Code>"
            f'<soap:Reason><soap:Text xml:lang="en">{escape(message)}</soap:Text></soap:Reason></soap:Fault>'
        )
    else:
        code = "soap:Client" if client else "soap:Server"
        body = f"<soap:Fault><faultcode>{code}</faultcode><faultstring>{escape(message)}</faultstring></soap:Fault>"
    return _envelope(body, version)


def content_type(version: str = "1.1") -> str:
    """The Content-Type of a SOAP message of that version."""
    if version == "1.2":
        return f'application/soap+xml; charset=utf-8; action="{SOAP_ACTION}"'
    return "text/xml; charset=utf-8"


def render_wsdl(location: str) -> bytes:
    """The WSDL of WebService.asmx (SendSms over SOAP 1.1 and 1.2) for a service address."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="{NAMESPACE}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="{NAMESPACE}">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="{NAMESPACE}">
      <s:element name="SendSms">
        <s:complexType><s:sequence>
          <s:element minOccurs="0" maxOccurs="1" name="userName" type="s:string"/>
          <s:element minOccurs="0" maxOccurs="1" name="password" type="s:string"/>
          <s:element minOccurs="0" maxOccurs="1" name="sms" type="tns:SmsObject"/>
        </s:sequence></s:complexType>
      </s:element>
      <s:complexType name="SmsObject"><s:sequence>
        <s:element minOccurs="0" maxOccurs="1" name="Msisdns" type="s:string"/>
        <s:element minOccurs="0" maxOccurs="1" name="SMSContent" type="s:string"/>
        <s:element minOccurs="1" maxOccurs="1" name="PlanSendTime" nillable="true" type="s:dateTime"/>
        <s:element minOccurs="0" maxOccurs="1" name="ExtNumber" type="s:string"/>
      </s:sequence></s:complexType>
      <s:element name="SendSmsResponse">
        <s:complexType><s:sequence>
          <s:element minOccurs="0" maxOccurs="1" name="SendSmsResult" type="tns:SendResult"/>
        </s:sequence></s:complexType>
      </s:element>
      <s:complexType name="SendResult"><s:sequence>
        <s:element minOccurs="0" maxOccurs="1" name="StatusCode" type="s:string"/>
        <s:element minOccurs="0" maxOccurs="1" name="Description" type="s:string"/>
        <s:element minOccurs="0" maxOccurs="1" name="MsgId" type="s:string"/>
        <s:element minOccurs="1" maxOccurs="1" name="Amount" type="s:long"/>
        <s:element minOccurs="1" maxOccurs="1" name="SuccessCounts" type="s:int"/>
        <s:element minOccurs="1" maxOccurs="1" name="BillingCount" type="s:int"/>
        <s:element minOccurs="0" maxOccurs="1" name="Errors" type="tns:ArrayOfString"/>
      </s:sequence></s:complexType>
      <s:complexType name="ArrayOfString"><s:sequence>
        <s:element minOccurs="0" maxOccurs="unbounded" name="string" nillable="true" type="s:string"/>
      </s:sequence></s:complexType>
    </s:schema>
  </wsdl:types>
  <wsdl:message name="SendSmsSoapIn"><wsdl:part name="parameters" element="tns:SendSms"/></wsdl:message>
  <wsdl:message name="SendSmsSoapOut"><wsdl:part name="parameters" element="tns:SendSmsResponse"/></wsdl:message>
  <wsdl:portType name="WebServiceSoap">
    <wsdl:operation name="SendSms"><wsdl:input message="tns:SendSmsSoapIn"/><wsdl:output message="tns:SendSmsSoapOut"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="WebServiceSoap" type="tns:WebServiceSoap">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="SendSms"><soap:operation soapAction="{SOAP_ACTION}" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:binding name="WebServiceSoap12" type="tns:WebServiceSoap">
    <soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="SendSms"><soap12:operation soapAction="{SOAP_ACTION}" style="document"/>
      <wsdl:input><soap12:body use="literal"/></wsdl:input><wsdl:output><soap12:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="WebService">
    <wsdl:port name="WebServiceSoap" binding="tns:WebServiceSoap"><soap:address location="{escape(location)}"/></wsdl:port>
    <wsdl:port name="WebServiceSoap12" binding="tns:WebServiceSoap12"><soap12:address location="{escape(location)}"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
""".encode("utf-8")
