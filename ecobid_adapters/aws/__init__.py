"""AWS adapters: the ports of ``ecobid_core`` on DynamoDB, S3, Cognito, EventBridge and
Rekognition.

Every adapter takes its boto3 client as an argument, so one set of clients serves a whole
process (a Lambda cold start) and tests can point them at moto.
"""
