// Messaging: emails and custom (bell) notifications are recorded in `services.messaging` (an
// Outbox), never sent. Messaging.sendEmail counts one email invocation per call (Limits
// .getEmailInvocations) and answers a SendEmailResult per message. A message without any
// recipient fails as on the platform: REQUIRED_FIELD_MISSING 'Missing target address (target, to,
// cc, bcc)' — thrown as System.EmailException when allOrNothing, else reported in the result.
// reserveSingleEmailCapacity always succeeds: the org's daily allowance is not modelled.
import { findNative, registerNative, type NativeContext } from '../natives/registry';
import {
  ApexError,
  ApexList,
  ApexSet,
  EnumValue,
  STRING_TYPE,
  nullPointer,
  toApexString,
  typeRef,
  type ApexInstance,
  type Value,
} from '../values';

export interface RecordedEmail {
  readonly to: string[];
  readonly cc: string[];
  readonly bcc: string[];
  readonly subject: string | null;
  readonly plainTextBody: string | null;
  readonly htmlBody: string | null;
  readonly targetObjectId: string | null;
}

export interface RecordedNotification {
  readonly typeId: string | null;
  readonly title: string | null;
  readonly body: string | null;
  readonly targetId: string | null;
  readonly targetPageRef: string | null;
  readonly senderId: string | null;
  readonly recipients: string[];
}

/** `services.messaging`. */
export class Outbox {
  readonly emails: RecordedEmail[] = [];
  readonly notifications: RecordedNotification[] = [];
  /** Sum of reserveSingleEmailCapacity requests. */
  reservedSingleEmails = 0;
  reset(): void {
    this.emails.length = 0;
    this.notifications.length = 0;
    this.reservedSingleEmails = 0;
  }
}

// Properties of SingleEmailMessage (and Email, its base) the setters and getters reach.
const EMAIL_PROPERTIES = [
  'toAddresses',
  'ccAddresses',
  'bccAddresses',
  'subject',
  'plainTextBody',
  'htmlBody',
  'targetObjectId',
  'whatId',
  'templateId',
  'saveAsActivity',
  'senderDisplayName',
  'replyTo',
  'orgWideEmailAddressId',
  'useSignature',
  'charset',
  'bccSender',
  'emailPriority',
  'inReplyTo',
  'references',
  'treatTargetObjectAsRecipient',
  'treatBodiesAsTemplate',
  'optOutPolicy',
];

export class EmailMessageValue implements ApexInstance {
  readonly apexType = typeRef('Messaging.SingleEmailMessage');
  readonly props = new Map<string, Value>();
}

export class NotificationValue implements ApexInstance {
  readonly apexType = typeRef('Messaging.CustomNotification');
  readonly props = new Map<string, Value>();
}

class SendEmailErrorValue implements ApexInstance {
  readonly apexType = typeRef('Messaging.SendEmailError');
  constructor(
    readonly message: string,
    readonly code: string,
    readonly fields: string[],
  ) {}
}

class SendEmailResultValue implements ApexInstance {
  readonly apexType = typeRef('Messaging.SendEmailResult');
  constructor(readonly errors: SendEmailErrorValue[]) {}
}

function outbox(ctx: NativeContext): Outbox {
  const box = ctx.services.messaging;
  if (!(box instanceof Outbox)) throw new Error('services.messaging is not installed');
  return box;
}

function strings(v: Value): string[] {
  if (v === null) return [];
  if (v instanceof ApexList) return v.items.map((x) => toApexString(x));
  if (v instanceof ApexSet) return v.values().map((x) => toApexString(x));
  return [toApexString(v)];
}

const textOf = (v: Value | undefined): string | null =>
  v === null || v === undefined ? null : toApexString(v);

function accessors(properties: string[], type: new () => { props: Map<string, Value> }) {
  const methods: Record<string, (ctx: NativeContext, self: Value, args: Value[]) => Value> = {};
  for (const property of properties) {
    const key = property.toLowerCase();
    methods[`set${key}`] = (_c, s, [v]) => {
      if (!(s instanceof type)) throw nullPointer();
      s.props.set(key, v ?? null);
      return null;
    };
    methods[`get${key}`] = (_c, s) => {
      if (!(s instanceof type)) throw nullPointer();
      return s.props.get(key) ?? null;
    };
  }
  return methods;
}

function statusCode(ctx: NativeContext, name: string): Value {
  // The org layer may model System.StatusCode (Database.Error); use its constant when it does.
  const constant = findNative('System.StatusCode')?.staticFields?.[name.toLowerCase()];
  return constant ? constant(ctx) : new EnumValue('System.StatusCode', name, 0);
}

function sendEmail(ctx: NativeContext, messages: Value, allOrNothing: boolean): Value {
  if (!(messages instanceof ApexList)) throw nullPointer();
  ctx.governor.onEmailInvocation();
  const results: SendEmailResultValue[] = [];
  const accepted: RecordedEmail[] = [];
  messages.items.forEach((message, row) => {
    if (!(message instanceof EmailMessageValue)) throw nullPointer();
    const p = message.props;
    const email: RecordedEmail = {
      to: strings(p.get('toaddresses') ?? null),
      cc: strings(p.get('ccaddresses') ?? null),
      bcc: strings(p.get('bccaddresses') ?? null),
      subject: textOf(p.get('subject')),
      plainTextBody: textOf(p.get('plaintextbody')),
      htmlBody: textOf(p.get('htmlbody')),
      targetObjectId: textOf(p.get('targetobjectid')),
    };
    const hasTarget =
      email.to.length + email.cc.length + email.bcc.length > 0 || email.targetObjectId !== null;
    if (!hasTarget) {
      const missing = 'Missing target address (target, to, cc, bcc)';
      if (allOrNothing) {
        throw new ApexError(
          'System.EmailException',
          `SendEmail failed. First exception on row ${row}; first error: REQUIRED_FIELD_MISSING, ${missing}: []`,
        );
      }
      results.push(
        new SendEmailResultValue([new SendEmailErrorValue(missing, 'REQUIRED_FIELD_MISSING', [])]),
      );
      return;
    }
    accepted.push(email);
    results.push(new SendEmailResultValue([]));
  });
  outbox(ctx).emails.push(...accepted);
  return new ApexList(typeRef('Messaging.SendEmailResult'), results);
}

export function registerMessaging(): void {
  registerNative({
    name: 'Messaging',
    statics: {
      sendemail: (ctx, _s, [messages, allOrNothing]) =>
        sendEmail(ctx, messages, allOrNothing === undefined || allOrNothing !== false),
      reservesingleemailcapacity: (ctx, _s, [count]) => {
        if (count === null) throw nullPointer();
        outbox(ctx).reservedSingleEmails += Number(count);
        return null;
      },
    },
  });

  registerNative({
    name: 'Messaging.SingleEmailMessage',
    supertypes: ['Messaging.Email'],
    construct: () => new EmailMessageValue(),
    methods: accessors(EMAIL_PROPERTIES, EmailMessageValue),
  });
  registerNative({ name: 'Messaging.Email' });

  registerNative({
    name: 'Messaging.SendEmailResult',
    methods: {
      issuccess: (_c, s) => (s as SendEmailResultValue).errors.length === 0,
      geterrors: (_c, s) =>
        new ApexList(typeRef('Messaging.SendEmailError'), [...(s as SendEmailResultValue).errors]),
    },
  });

  registerNative({
    name: 'Messaging.SendEmailError',
    methods: {
      getmessage: (_c, s) => (s as SendEmailErrorValue).message,
      getstatuscode: (ctx, s) => statusCode(ctx, (s as SendEmailErrorValue).code),
      getfields: (_c, s) => new ApexList(STRING_TYPE, [...(s as SendEmailErrorValue).fields]),
      gettargetobjectid: () => null,
    },
  });

  registerNative({
    name: 'Messaging.CustomNotification',
    construct: (_ctx, args) => {
      const n = new NotificationValue();
      // CustomNotification(typeId, sender, title, body, targetId, targetPageRef)
      if (args.length === 6) {
        ['notificationtypeid', 'senderid', 'title', 'body', 'targetid', 'targetpageref'].forEach(
          (key, i) => n.props.set(key, args[i]),
        );
      } else if (args.length !== 0) {
        throw new ApexError('System.TypeException', 'CustomNotification takes 0 or 6 arguments');
      }
      return n;
    },
    methods: {
      ...accessors(
        ['notificationTypeId', 'title', 'body', 'targetId', 'targetPageRef', 'senderId'],
        NotificationValue,
      ),
      send: (ctx, s, [users]) => {
        if (!(s instanceof NotificationValue)) throw nullPointer();
        if (users === null) throw nullPointer();
        const p = s.props;
        outbox(ctx).notifications.push({
          typeId: textOf(p.get('notificationtypeid')),
          title: textOf(p.get('title')),
          body: textOf(p.get('body')),
          targetId: textOf(p.get('targetid')),
          targetPageRef: textOf(p.get('targetpageref')),
          senderId: textOf(p.get('senderid')),
          recipients: strings(users),
        });
        return null;
      },
    },
  });
}
