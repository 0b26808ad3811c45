"""The Web Service send (chapter 8): SOAP 1.1/1.2 envelopes, SendResult, faults and the WSDL."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .errors import GatewayReplyError
from .wire import (
    decode_body,
    error_text,
    local_name,
    reply_parser,
    to_int,
    to_number,
    xml_text,
)

NAMESPACE = "http://www.yysms.com/"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SOAP_ACTION = NAMESPACE + "SendSms"
# SendResult fields of the live server's WSDL that the document does not describe: written nil, ignored when read.
LIVE_FIELDS = "".join(
    f'<{name} xsi:nil="true" />' for name in ("PayType", "Balance", "BillingAmount", "AlterSendResult", "CustomId")
)


@dataclass(frozen=True, slots=True)
class SoapSendRequest:
    """The arguments of SendSms as the simulator reads them (content exactly as sent)."""

    user_name: str
    password: str = field(repr=False)
    msisdns: str = ""
    content: str = ""
    plan_send_time: str = ""
    ext_number: str = ""
    version: str = "1.1"


@dataclass(frozen=True, slots=True)
class SoapSendResult:
    """SendResult: StatusCode (`OK` or a §10 name), Description, MsgId, Amount, counts, Errors."""

    status_code: str
    description: str
    msg_id: str = ""
    amount: int | float | None = None
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
    ).encode()


def build_soap_envelope(
    user_name: str, password: str, msisdns: str, content: str, plan_send_time: str, ext_number: str
) -> bytes:
    """The SOAP 1.1 request for SendSms; an empty PlanSendTime is sent as `xsi:nil`; CR survives as `&#13;`."""
    plan = (
        f"<PlanSendTime>{xml_text(plan_send_time)}</PlanSendTime>"
        if plan_send_time
        else '<PlanSendTime xsi:nil="true" />'
    )
    body = (
        f'<SendSms xmlns="{NAMESPACE}">'
        f"<userName>{xml_text(user_name)}</userName><password>{xml_text(password)}</password>"
        f"<sms><Msisdns>{xml_text(msisdns)}</Msisdns><SMSContent>{xml_text(content)}</SMSContent>"
        f"{plan}<ExtNumber>{xml_text(ext_number)}</ExtNumber></sms></SendSms>"
    )
    return _envelope(body)


def _body(raw: bytes | str) -> tuple[ET.Element, str]:
    """The Body of a SOAP envelope and the SOAP version its namespace says."""
    text = decode_body(raw)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise GatewayReplyError("the XML declares a DTD or entities, which are refused", raw)
    if not text.strip():
        raise GatewayReplyError("the body is empty", raw)
    try:
        envelope = ET.fromstring(text)
    except ET.ParseError as exc:
        raise GatewayReplyError(f"not XML ({exc})", raw) from None
    body = _child(envelope, "Body") if local_name(envelope.tag) == "Envelope" else None
    if body is None:
        raise GatewayReplyError("not a SOAP envelope", raw)
    return body, "1.2" if envelope.tag.startswith("{" + SOAP12 + "}") else "1.1"


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    """The first child of that local name, whatever its namespace (tempuri.org or the vendor's)."""
    if element is None:
        return None
    return next((child for child in element if local_name(child.tag) == name), None)


def _text(element: ET.Element | None, strip: bool = True) -> str:
    text = "" if element is None else (element.text or "")
    return text.strip() if strip else text


@reply_parser
def parse_soap_request(raw: bytes | str) -> SoapSendRequest:
    """The SendSms arguments of a SOAP 1.1 or 1.2 request; the password and content are kept exactly as sent."""
    body, version = _body(raw)
    call = _child(body, "SendSms")
    if call is None:
        raise GatewayReplyError("the body holds no SendSms call", raw)
    sms = _child(call, "sms")
    return SoapSendRequest(
        user_name=_text(_child(call, "userName")),
        password=_text(_child(call, "password"), strip=False),
        msisdns=_text(_child(sms, "Msisdns")),
        content=_text(_child(sms, "SMSContent"), strip=False),
        plan_send_time=_text(_child(sms, "PlanSendTime")),
        ext_number=_text(_child(sms, "ExtNumber")),
        version=version,
    )


@reply_parser
def parse_soap_send_result(raw: bytes | str) -> SoapSendResult:
    """The SendResult of a SendSms response; a SOAP Fault is a failed result with its fault text(s)."""
    body, _ = _body(raw)
    fault = _child(body, "Fault")
    if fault is not None:
        faultstring = _child(fault, "faultstring")
        if faultstring is not None:  # SOAP 1.1
            texts = [_text(faultstring)]
        else:  # SOAP 1.2: a Reason with one Text per language
            texts = [_text(element) for element in fault.iter() if local_name(element.tag) == "Text"]
        return SoapSendResult("Fault", "; ".join(t for t in texts if t))
    result = _child(_child(body, "SendSmsResponse"), "SendSmsResult")
    if result is None:
        raise GatewayReplyError("the body holds no SendSmsResult", raw)
    status = _text(_child(result, "StatusCode"))
    if not status:
        raise GatewayReplyError("SendResult has no StatusCode", raw)
    errors = _child(result, "Errors")
    return SoapSendResult(
        status_code=status,
        description=_text(_child(result, "Description")),
        msg_id=_text(_child(result, "MsgId")),
        amount=to_number(_text(_child(result, "Amount"))),
        success_count=to_int(_text(_child(result, "SuccessCounts"))) or 0,
        billing_count=to_int(_text(_child(result, "BillingCount"))) or 0,
        errors=[] if errors is None else [text for text in map(_error, errors) if text],
    )


def _error(element: ET.Element) -> str:
    """One entry of Errors: a string's text, or an object's fields as `Key: value`."""
    if len(element):
        return error_text({local_name(child.tag): _error(child) for child in element})
    return _text(element)


def render_soap_send_result(result: SoapSendResult, version: str = "1.1") -> bytes:
    """The SendSms response envelope."""
    errors = "".join(f"<string>{xml_text(e)}</string>" for e in result.errors)
    body = (
        f'<SendSmsResponse xmlns="{NAMESPACE}"><SendSmsResult>'
        f"<StatusCode>{xml_text(result.status_code)}</StatusCode>"
        f"<Description>{xml_text(result.description)}</Description>"
        f"<MsgId>{xml_text(result.msg_id)}</MsgId>"
        f"<Amount>{result.amount if result.amount is not None else 0}</Amount>"
        f"<SuccessCounts>{result.success_count}</SuccessCounts>"
        f"<BillingCount>{result.billing_count}</BillingCount>"
        f"<Errors>{errors}</Errors>"
        f"{LIVE_FIELDS}"
        "</SendSmsResult></SendSmsResponse>"
    )
    return _envelope(body, version)


def render_soap_fault(message: str, version: str = "1.1", client: bool = True) -> bytes:
    """A SOAP fault envelope."""
    if version == "1.2":
        code = "soap:Sender" if client else "soap:Receiver"
        body = (
            f"<soap:Fault><soap:Code><soap:Value>{code}</soap:Value></soap:Code>"
            f'<soap:Reason><soap:Text xml:lang="zh-CN">{xml_text(message)}</soap:Text></soap:Reason></soap:Fault>'
        )
    else:
        code = "soap:Client" if client else "soap:Server"
        body = f"<soap:Fault><faultcode>{code}</faultcode><faultstring>{xml_text(message)}</faultstring></soap:Fault>"
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
        <s:element minOccurs="1" maxOccurs="1" name="PayType" nillable="true" type="s:string"/>
        <s:element minOccurs="1" maxOccurs="1" name="Balance" nillable="true" type="s:decimal"/>
        <s:element minOccurs="1" maxOccurs="1" name="BillingAmount" nillable="true" type="s:decimal"/>
        <s:element minOccurs="1" maxOccurs="1" name="AlterSendResult" nillable="true" type="s:string"/>
        <s:element minOccurs="1" maxOccurs="1" name="CustomId" nillable="true" type="s:string"/>
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
    <wsdl:port name="WebServiceSoap" binding="tns:WebServiceSoap"><soap:address location="{xml_text(location)}"/></wsdl:port>
    <wsdl:port name="WebServiceSoap12" binding="tns:WebServiceSoap12"><soap12:address location="{xml_text(location)}"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
""".encode()
