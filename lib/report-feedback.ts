// Knowing when the report bounced: a configuration set the function sends with, whose bounce,
// complaint, reject and delivery events SES turns into CloudWatch metrics (namespace AWS/SES) under
// the configuration set's own dimension. The stack alarms on any bounce or complaint.
import { Duration, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

/** SES's auto-tag naming the configuration set: as a dimension, it needs no tag on the message. */
export const SES_CONFIGURATION_SET_DIMENSION = 'ses:configuration-set';

/** What SES publishes for the report: a bounce or complaint needs a person, a reject or delivery is context. */
export const REPORT_EMAIL_EVENTS = [
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.REJECT,
  ses.EmailSendingEvent.DELIVERY,
] as const;

/** SES's CloudWatch metric name for each event (AWS/SES). */
const METRIC_NAMES: Record<(typeof REPORT_EMAIL_EVENTS)[number], string> = {
  [ses.EmailSendingEvent.BOUNCE]: 'Bounce',
  [ses.EmailSendingEvent.COMPLAINT]: 'Complaint',
  [ses.EmailSendingEvent.REJECT]: 'Reject',
  [ses.EmailSendingEvent.DELIVERY]: 'Delivery',
};

export class ReportFeedback extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  /** A literal (not a token): the function's variable, its IAM grant and the docs can all name it. */
  readonly configurationSetName: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // SES allows 64 characters: letters, digits, - and _.
    this.configurationSetName = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: this.configurationSetName,
    });
    this.configurationSet.addEventDestination('ToCloudWatch', {
      destination: ses.EventDestination.cloudWatchDimensions([
        {
          name: SES_CONFIGURATION_SET_DIMENSION,
          source: ses.CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: this.configurationSetName,
        },
      ]),
      events: [...REPORT_EMAIL_EVENTS],
    });
  }

  /** One of SES's event metrics for this configuration set. */
  metric(event: (typeof REPORT_EMAIL_EVENTS)[number], period: Duration = Duration.minutes(5)): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/SES',
      metricName: METRIC_NAMES[event],
      dimensionsMap: { [SES_CONFIGURATION_SET_DIMENSION]: this.configurationSetName },
      period,
      statistic: cloudwatch.Stats.SUM,
    });
  }

  /** Bounces plus complaints; a week with neither has no data points, read as 0. */
  bouncesAndComplaints(period: Duration = Duration.minutes(5)): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: 'FILL(bounces, 0) + FILL(complaints, 0)',
      usingMetrics: {
        bounces: this.metric(ses.EmailSendingEvent.BOUNCE, period),
        complaints: this.metric(ses.EmailSendingEvent.COMPLAINT, period),
      },
      label: 'Bounces and complaints',
      period,
    });
  }
}
