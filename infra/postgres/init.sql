-- One database per service: no service reads another's tables.
CREATE DATABASE intake;
CREATE DATABASE plans;
CREATE DATABASE payments;
CREATE DATABASE monitoring;
CREATE DATABASE notifications;
CREATE DATABASE gateway;
